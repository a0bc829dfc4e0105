#include "watch/file_watcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <sstream>

#include "pyapi/interpreter_state.hpp"

namespace splice {

namespace {

constexpr int kQuietMs = 50;  // a save is often several writes, or a write and a rename
// A save ends with the file written and closed, or with a new file renamed
// over it (sed -i, atomic saves). A file only created may still be empty.
constexpr std::uint32_t kFolderEvents = IN_CLOSE_WRITE | IN_MOVED_TO;

bool read_text(const std::string& path, std::string& text) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream content;
    content << in.rdbuf();
    text = content.str();
    return true;
}

}  // namespace

FileWatcher::FileWatcher(std::string path, nb::object on_change) : path_(std::move(path)), on_change_(std::move(on_change)) {
    const std::size_t slash = path_.rfind('/');
    folder_ = slash == std::string::npos ? "." : (slash == 0 ? "/" : path_.substr(0, slash));
    name_ = slash == std::string::npos ? path_ : path_.substr(slash + 1);
    read_text(path_, last_text_);
    inotify_fd_ = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (inotify_fd_ < 0 || wake_fd_ < 0 || inotify_add_watch(inotify_fd_, folder_.c_str(), kFolderEvents) < 0)
        throw std::runtime_error("splice: cannot watch " + path_ + " for changes");
    thread_ = new std::thread([this] { run(); });
}

FileWatcher::~FileWatcher() {
    if (thread_) {
        nb::gil_scoped_release release;  // the thread may be waiting for the GIL to deliver
        stop();
    }
    if (inotify_fd_ >= 0) close(inotify_fd_);
    if (wake_fd_ >= 0) close(wake_fd_);
}

void FileWatcher::stop() {
    if (!thread_) return;
    stopping_ = true;
    const std::uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
    thread_->join();
    delete thread_;
    thread_ = nullptr;
}

void FileWatcher::forget_after_fork() {
    thread_ = nullptr;  // leaked on purpose: it names a thread of the parent
    if (inotify_fd_ >= 0) close(inotify_fd_);
    if (wake_fd_ >= 0) close(wake_fd_);
    inotify_fd_ = wake_fd_ = -1;
}

void FileWatcher::run() {
    while (!stopping_) {
        if (wait_for_change()) deliver();
    }
}

// Blocks until the file was written or renamed over and then left
// alone for kQuietMs; false when stopping.
bool FileWatcher::wait_for_change() {
    std::array<pollfd, 2> fds{pollfd{inotify_fd_, POLLIN, 0}, pollfd{wake_fd_, POLLIN, 0}};
    bool touched = false;
    for (;;) {
        const int ready = poll(fds.data(), fds.size(), touched ? kQuietMs : -1);
        if (stopping_) return false;
        if (ready < 0) continue;  // EINTR
        if (ready == 0) return touched;  // quiet again after a change
        if (!(fds[0].revents & POLLIN)) continue;
        alignas(inotify_event) char buffer[4096];
        for (;;) {
            const ssize_t got = read(inotify_fd_, buffer, sizeof buffer);
            if (got <= 0) break;
            for (ssize_t at = 0; at < got;) {
                const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
                if (event->len > 0 && name_ == event->name) touched = true;
                at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            }
        }
    }
}

void FileWatcher::deliver() {
    std::string text;
    if (!read_text(path_, text) || text == last_text_) return;  // gone for now, or saved unchanged
    last_text_ = text;
    if (interpreter_is_finalizing()) return;
    // Not nanobind's gil_scoped_acquire: it is noexcept, and before 3.14 a
    // thread that takes the GIL during shutdown is unwound by force.
    const PyGILState_STATE gil = PyGILState_Ensure();
    {
        const nb::object argument = nb::steal(PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace"));
        const nb::object result = argument.is_valid()
                                      ? nb::steal(PyObject_CallFunctionObjArgs(on_change_.ptr(), argument.ptr(), nullptr))
                                      : nb::object();
        if (!result.is_valid()) PyErr_WriteUnraisable(on_change_.ptr());
    }
    PyGILState_Release(gil);
}

}  // namespace splice
