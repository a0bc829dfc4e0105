// Watches one file and calls back with its new text when it is saved. A
// thread sleeps in poll() on inotify (its folder is watched, as editors save
// by renaming a new file over the old one) and costs nothing while the file
// is unchanged.
#pragma once

#include <nanobind/nanobind.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace splice {

namespace nb = nanobind;

class FileWatcher {
public:
    // `on_change(text)` runs with the GIL held, once per change of content,
    // 50 ms after the last write of a burst.
    FileWatcher(std::string path, nb::object on_change);
    ~FileWatcher();
    FileWatcher(const FileWatcher&) = delete;
    FileWatcher& operator=(const FileWatcher&) = delete;

    // Wakes the thread and joins it; call without the GIL (the thread may be
    // waiting for it).
    void stop();
    // In a forked child: the thread does not exist there, so it is forgotten
    // rather than joined, and the descriptors are closed.
    void forget_after_fork();
    bool running() const { return thread_ != nullptr; }

private:
    void run();
    bool wait_for_change();
    void deliver();

    std::string path_, folder_, name_;
    nb::object on_change_;
    std::string last_text_;
    int inotify_fd_ = -1;
    int wake_fd_ = -1;
    std::atomic<bool> stopping_{false};
    std::thread* thread_ = nullptr;  // a pointer: a forked child must be able to drop it unjoined
};

}  // namespace splice
