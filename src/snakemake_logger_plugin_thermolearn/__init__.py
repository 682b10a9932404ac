"""Snakemake logger plugin ``thermolearn`` (``logger: thermolearn`` in profiles/default): progress lines
on the terminal instead of every job's banner, one per finished job and one a minute while jobs run
without any finishing. Each gives the jobs done of the total, the time since the run started and the
job that has been running longest; warnings, errors (with the failed job's log) and the final lines
pass through as Snakemake prints them. The full banners still go to Snakemake's log file,
.snakemake/log/<date>.snakemake.log; a dry run (-n) prints its whole plan, as without the plugin."""

import sys
import threading
import time

from snakemake.logging import DefaultFilter, DefaultFormatter
from snakemake_interface_logger_plugins.base import LogHandlerBase
from snakemake_interface_logger_plugins.common import LogEvent

HIDDEN = ("Select jobs to execute", "Execute ", "Building DAG", "Using shell", "Provided cores", "Rules claiming",
          "Conda environments", "Assuming unrestricted", "Config file", "Loading script code", "Creating report")
"""Plain messages that go to the log file only (set-up and every scheduling round); the others (where the
log is, an up-to-date run, the elapsed time, lint's findings, the report made) are printed as they are."""

HEARTBEAT = 60.0
"""Seconds without a line after which the progress line is printed again while jobs run."""


def progress_line(done, total, elapsed, running, now):
    """``12/242 jobs (5%) in 0:01:05; longest running: batch_simulate (42 s)`` (``?`` for an unknown total)."""
    minutes, seconds = divmod(int(elapsed), 60)
    share = f" ({100 * done // total}%)" if total else ""
    line = f"{done}/{total or '?'} jobs{share} in {minutes // 60}:{minutes % 60:02d}:{seconds:02d}"
    if running:
        rule, started = min(running.values(), key=lambda job: job[1])
        line += f"; longest running: {rule} ({now - started:.0f} s)"
    return line


class LogHandler(LogHandlerBase):
    def __post_init__(self):
        self.start = self.last = time.monotonic()
        self.running, self.done, self.total = {}, 0, None
        self.progress_lock = threading.Lock()  # not `lock`: logging.Handler holds its own there
        self.closed = threading.Event()
        self.formatter_ = DefaultFormatter(self.common_settings.quiet, self.common_settings.show_failed_logs)
        self.filter_ = DefaultFilter(self.common_settings.quiet, self.common_settings.debug_dag,
                                     self.common_settings.verbose, self.common_settings.dryrun,
                                     self.common_settings.printshellcmds)
        if not self.common_settings.dryrun:
            threading.Thread(target=self.beat, daemon=True).start()

    def emit(self, record):
        event = getattr(record, "event", None)
        with self.progress_lock:
            now = time.monotonic()
            if event == LogEvent.JOB_INFO:
                self.running[record.jobid] = (record.rule_name, now)
            elif event == LogEvent.JOB_FINISHED:
                self.running.pop(record.job_id, None)
            elif event == LogEvent.JOB_ERROR:
                self.running.pop(record.jobid, None)
            elif event == LogEvent.RUN_INFO:
                self.total = (getattr(record, "stats", None) or {}).get("total", self.total)
            if self.common_settings.dryrun or record.levelno >= 30 or event in (LogEvent.JOB_ERROR, LogEvent.ERROR):
                self.write(record)
            elif event == LogEvent.PROGRESS:
                self.done, self.total = record.done, record.total
                self.say(progress_line(self.done, self.total, now - self.start, self.running, now), now)
            elif event is None and not str(record.msg or "").startswith(HIDDEN):
                self.write(record)

    def beat(self):
        """Every HEARTBEAT seconds without a line while jobs run, the progress line again, until the handler
        is closed (an in-process run's handler must not outlive it)."""
        while not self.closed.wait(HEARTBEAT / 10):
            with self.progress_lock:
                now = time.monotonic()
                if self.running and now - self.last >= HEARTBEAT:
                    self.say(progress_line(self.done, self.total, now - self.start, self.running, now), now)

    def close(self):
        self.closed.set()
        super().close()

    def say(self, line, now):
        print(line, file=self.stream(), flush=True)
        self.last = now

    def stream(self):
        """Where Snakemake's own handler writes: stdout in a dry run, else stderr."""
        return sys.stdout if self.common_settings.stdout else sys.stderr

    def write(self, record):
        """As Snakemake's own terminal handler prints it."""
        if self.filter_.filter(record):
            text = self.formatter_.format(record)
            if text:
                print(text, file=self.stream(), flush=True)
                self.last = time.monotonic()

    @property
    def writes_to_stream(self):
        return True

    @property
    def writes_to_file(self):
        return False

    @property
    def has_filter(self):
        return True

    @property
    def has_formatter(self):
        return True

    @property
    def needs_rulegraph(self):
        return False
