#include "pyapi/source_text.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>

#include <nanobind/stl/string.h>

namespace splice {

namespace {

struct CachedSource {
    long long mtime_ns = 0;
    long long size = 0;
    std::shared_ptr<const SourceFile> source;
};

constexpr std::size_t kCacheLimit = 512;

std::unordered_map<std::string, CachedSource>& cache() {
    static auto* files = new std::unordered_map<std::string, CachedSource>();  // lives as long as the process
    return *files;
}

std::shared_ptr<const SourceFile> from_file(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return nullptr;
    const long long mtime_ns = static_cast<long long>(info.st_mtim.tv_sec) * 1000000000LL + info.st_mtim.tv_nsec;
    auto& files = cache();
    if (auto it = files.find(path); it != files.end() && it->second.mtime_ns == mtime_ns && it->second.size == info.st_size)
        return it->second.source;
    std::ifstream in(path, std::ios::binary);
    if (!in) return nullptr;
    std::ostringstream text;
    text << in.rdbuf();
    auto source = std::make_shared<const SourceFile>(text.str());
    if (files.size() >= kCacheLimit) files.clear();
    files[path] = {mtime_ns, static_cast<long long>(info.st_size), source};
    return source;
}

std::shared_ptr<const SourceFile> from_linecache(const std::string& name) {
    try {
        nb::object lines = nb::module_::import_("linecache").attr("getlines")(name);
        std::string text;
        for (nb::handle line : lines) text += nb::cast<std::string>(line);
        if (text.empty()) return nullptr;
        return std::make_shared<const SourceFile>(std::move(text));
    } catch (const nb::python_error&) {
        return nullptr;
    }
}

}  // namespace

std::shared_ptr<const SourceFile> source_for(nb::handle code) {
    const std::string name = nb::cast<std::string>(code.attr("co_filename"));
    if (name.empty()) return nullptr;
    if (auto source = from_file(name)) return source;
    return from_linecache(name);
}

}  // namespace splice
