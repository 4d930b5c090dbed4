#include "pipeline/display.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "util/xml_escape.h"

namespace hapkg::pipeline {

namespace {
using Clock = std::chrono::steady_clock;

std::string seconds(double s) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1fs", s);
  return b;
}

const char* kind_name(EventKind k) {
  switch (k) {
    case EventKind::kStarted: return "started";
    case EventKind::kSkipped: return "skipped";
    case EventKind::kDone: return "done";
    case EventKind::kFailed: return "FAILED";
    case EventKind::kBlocked: return "blocked";
  }
  return "?";
}

std::string pad(std::string s, std::size_t n) {
  if (s.size() < n) s.resize(n, ' ');
  return s;
}
}  // namespace

struct Display::Impl {
  bool live, quiet;
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  struct Line {
    std::string step, state;
    Clock::time_point since;
    bool running = false;
  };
  std::vector<std::string> order;
  std::map<std::string, Line> lines;
  std::size_t drawn = 0;
  std::thread ticker;

  void draw() {  // caller holds mu
    std::string s;
    if (drawn) s += "\033[" + std::to_string(drawn) + "F";
    for (const auto& p : order) {
      const Line& l = lines[p];
      std::string t = l.running ? seconds(std::chrono::duration<double>(Clock::now() - l.since).count()) : "";
      s += "\033[2K" + pad(p, 18) + " " + pad(l.step, 9) + " " + pad(t, 7) + " " + l.state + "\n";
    }
    drawn = order.size();
    std::fputs(s.c_str(), stderr);
    std::fflush(stderr);
  }

  void on(const Event& e) {
    std::lock_guard<std::mutex> lock(mu);
    if (!live) {
      if (quiet && e.kind != EventKind::kFailed) return;
      std::string msg = "pipeline: " + e.package + " " + e.step + ": " + kind_name(e.kind);
      if (e.kind == EventKind::kDone || e.kind == EventKind::kFailed) msg += " " + seconds(e.seconds);
      if (!e.detail.empty()) msg += " (" + e.detail + ")";
      if (e.kind == EventKind::kFailed && !e.log.empty()) msg += "; log " + e.log;
      std::fprintf(stderr, "%s\n", msg.c_str());
      return;
    }
    if (!lines.count(e.package)) order.push_back(e.package);
    Line& l = lines[e.package];
    l.step = e.step;
    l.running = e.kind == EventKind::kStarted;
    if (l.running) l.since = Clock::now();
    l.state = std::string(kind_name(e.kind)) + (e.kind == EventKind::kFailed ? ": " + e.detail : "");
    draw();
  }
};

Display::Display(bool live, bool quiet) : impl_(std::make_unique<Impl>()) {
  impl_->live = live;
  impl_->quiet = quiet;
  if (live)
    impl_->ticker = std::thread([this] {
      std::unique_lock<std::mutex> lock(impl_->mu);
      while (!impl_->stop) {
        impl_->cv.wait_for(lock, std::chrono::milliseconds(500));
        if (!impl_->stop && impl_->drawn) impl_->draw();
      }
    });
}

Display::~Display() { finish(); }

void Display::finish() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stop = true;
  }
  impl_->cv.notify_all();
  if (impl_->ticker.joinable()) impl_->ticker.join();
}

Observer Display::observer() {
  return [this](const Event& e) { impl_->on(e); };
}

std::string render_summary(const RunSummary& s) {
  std::string t = pad("PACKAGE", 18) + " " + pad("STEP", 9) + " " + pad("RESULT", 8) + " " + pad("TIME", 7) + " DETAIL\n";
  for (const auto& o : s.outcomes) {
    std::string detail = o.result == "failed" ? o.detail + " (log " + o.log + ")" : o.detail;
    t += pad(o.package, 18) + " " + pad(o.step, 9) + " " + pad(o.result, 8) + " " + pad(seconds(o.seconds), 7) + " " +
         detail + "\n";
  }
  t += "\narchive: " + s.archive + "\nlogs:    " + s.logs + "\nreport:  " + (s.report.empty() ? "(not written)" : s.report) +
       "\n" + (s.ok ? "pipeline: ok\n" : "pipeline: FAILED\n");
  return t;
}

nlohmann::json summary_json(const RunSummary& s) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : s.outcomes)
    out.push_back({{"package", o.package}, {"step", o.step}, {"result", o.result}, {"seconds", o.seconds},
                   {"detail", o.detail}, {"log", o.log}});
  return {{"ok", s.ok}, {"archive", s.archive}, {"logs", s.logs}, {"state", s.state}, {"report", s.report},
          {"upstream", s.upstream}, {"steps", out}};
}

std::string render_plan(const std::vector<PlanItem>& plan) {
  std::string t;
  for (const auto& p : plan) t += pad(p.package, 18) + " " + pad(p.step, 9) + " " + (p.run ? "run  " : "skip ") + p.why + "\n";
  return t;
}

std::string render_status(const std::vector<StepRecord>& records) {
  std::string t;
  for (const auto& r : records)
    t += pad(r.package, 18) + " " + pad(r.step, 9) + " " + pad(r.result, 7) + " " + r.finished + " " +
         seconds(r.seconds) + (r.detail.empty() ? "" : " " + r.detail) + "\n";
  return t;
}

std::string render_junit(const std::vector<Outcome>& outcomes) {
  int failures = 0, skipped = 0;
  std::string cases;
  for (const auto& o : outcomes) {
    cases += "  <testcase classname=\"pipeline." + xml_escape(o.package) + "\" name=\"" + xml_escape(o.step) +
             "\" time=\"" + std::to_string(o.seconds) + "\"";
    if (o.result == "ok") {
      cases += "/>\n";
    } else if (o.result == "failed") {
      ++failures;
      cases += ">\n    <failure message=\"" + xml_escape(o.detail) + "\">log: " + xml_escape(o.log) +
               "</failure>\n  </testcase>\n";
    } else {
      ++skipped;
      cases += ">\n    <skipped message=\"" + xml_escape(o.result + ": " + o.detail) + "\"/>\n  </testcase>\n";
    }
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"hapkg pipeline\" tests=\"" +
         std::to_string(outcomes.size()) + "\" failures=\"" + std::to_string(failures) + "\" skipped=\"" +
         std::to_string(skipped) + "\">\n" + cases + "</testsuite>\n";
}

}  // namespace hapkg::pipeline
