"""The training thread (DESIGN.md section 4): one worker runs the Trainer, the UI only sends commands.

The UI thread never touches the trainer while the worker owns it. It puts commands into a queue
(``play``, ``pause``, ``step``, ``step_epoch``, ``reset``, ``set_lr``, ``set_batch_size``,
``update_settings``, ``replace``, ``call``, ``stop``, and the hand edits ``set_weights`` and
``set_probe_image``); the worker runs training in small chunks
bounded by time (never more steps than fit in ~15 ms, measured from the first step of every new
network), checks the queue between chunks, and publishes a ``Snapshot`` into a single latest-value
slot at most ``publish_hz`` times a second and after every command that changes the state. The UI
pulls the newest snapshot with ``take_snapshot()``; snapshots it never took are dropped.

The worker survives every error: an exception in a step (or a command) pauses the run, puts back
the weights from before the chunk, and is reported through ``take_events()`` with its traceback.
A network whose single step takes longer than ``SLOW_STEP`` seconds pauses after its first two
steps (the first may include compiling) with a ``slow`` event, so the user hears how slow it is
before it runs on. Nothing here imports Qt, so the worker is testable without a window.

This module keeps the UI's side of the commands and the worker's loop, chunks, parts and pace;
the worker's answer to each command is in ``worker_commands.py``, and what it hands the UI
thread (snapshot slot, news, batch losses) in ``publisher.py``.
"""
from __future__ import annotations

import queue
import threading
import time
import traceback
from concurrent.futures import Future
from typing import Any, Callable

import numpy as np

from ..engine import Diverged, Trainer, TrainingSettings
from ..engine.optimizers import make_optimizer
from ..engine.stop import steps_left
from ..engine.timeline import RECORD_SHARE, Timeline
# the worker's commands and its outbox; the names re-exported here are imported from the bridge
from .publisher import OPTIMIZER_SECONDS, Publisher, WorkerEvent, describe_error, seconds_text
from .worker_commands import RECORD_HZ, WorkerCommands, fresh_trainer, paced

__all__ = ["TrainingBridge", "WorkerEvent", "describe_error", "fresh_trainer", "paced",
           "CHUNK_SECONDS", "SLOW_STEP", "RECORD_HZ", "IDLE_WAIT", "OPTIMIZER_SECONDS"]

CHUNK_SECONDS = 0.015      # work between two looks at the command queue: Pause answers within ~15 ms
                           # (or one step, for a network whose single step takes longer). A chunk
                           # is one call into the GIL-free kernel where it can be: the worker
                           # then needs the GIL only between chunks, and the UI thread draws and
                           # paints on the other core meanwhile.
SLOW_STEP = 1.0            # a first step slower than this pauses the run with a warning
IDLE_WAIT = 0.1            # how long an idle worker blocks on the queue before looking again


class TrainingBridge(WorkerCommands):
    """Runs a Trainer in one worker thread, driven by commands, publishing rate-limited snapshots.

    Every command returns a ``threading.Event`` that is set once the worker has carried it out;
    ``call(fn)`` runs ``fn(trainer)`` in the worker and returns a ``Future`` with its result (the safe
    way for the UI to read weights for saving). ``take_snapshot()`` returns the newest snapshot not
    yet taken, or None. ``drain_batch_losses()`` returns the running batch loss recorded per chunk
    (x in fractional epochs) since the last call. The worker's answers to the commands are in
    ``WorkerCommands`` (ui/worker_commands.py); what it hands the UI thread, in its ``Publisher``.
    """

    def __init__(self, trainer: Trainer | None = None, publish_hz: float = 30.0,
                 clock: Callable[[], float] = time.perf_counter,
                 sleep: Callable[[float], None] = time.sleep):
        # the worker's sense of time (chunks, parts, pace, publish rate, speed readout): tests
        # pass a simulated clock and sleep so they count steps and snapshots, not seconds
        self._clock, self._sleep = clock, sleep
        self._trainer = paced(trainer)
        self._commands: queue.Queue = queue.Queue()
        self._mode = "idle"                    # idle | play | epoch
        self._max_rate: float | None = None    # steps per second while playing; None: flat out
        self._epoch_target = 0
        self._seconds_per_step: float | None = None   # measured on the current network; None: not yet
        self._step_checked = False             # the first steps of this network were timed on Play
        self._slow_steps = 0                   # first steps found slower than SLOW_STEP
        self._good: np.ndarray | None = None   # the weights before the current chunk
        self._in_chunk = False                 # True while steps run (an error there puts _good back)
        self.commands_sent = 0                 # counted by the UI thread as it sends them
        self._commands_done = 0                # counted by the worker as it carries them out
        self._rate_steps, self._rate_start = 0, self._clock()
        self.steps_per_second = 0.0
        self._diverged: str | None = None
        # the latest-value snapshot slot, news and batch losses for the UI thread
        self._publisher = Publisher(publish_hz, clock)
        self.labs_record = self._publisher.labs_record     # the Labs read the unit health here
        # moments to scrub back to (engine/timeline.py), recording at most RECORD_SHARE of the time
        self.timeline = Timeline(max_share=RECORD_SHARE, clock=clock)
        self._stop_since = -1                  # stop targets count history records after this step
        self._thread = threading.Thread(target=self._loop, name="playground-training", daemon=True)
        self._alive = False

    # -- lifetime ------------------------------------------------------------------------------
    def start(self) -> "TrainingBridge":
        self._alive = True
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the worker and join it; safe to call twice."""
        if self._alive:
            self._commands.put(("stop", None, threading.Event()))
            self._thread.join(timeout)
            self._alive = False

    @property
    def thread(self) -> threading.Thread:
        return self._thread

    @property
    def running(self) -> bool:
        return self._mode != "idle"

    @property
    def seconds_per_step(self) -> float | None:
        """The worker's measure of one step on the current network; None until it took one."""
        return self._seconds_per_step

    @property
    def alive(self) -> bool:
        """True while the worker thread runs (it ends only with ``stop``)."""
        return self._thread.is_alive()

    # -- commands (UI thread) ------------------------------------------------------------------
    def _send(self, name: str, arg: Any = None) -> threading.Event:
        """Queue a command. Snapshots carry ``commands_done``: a snapshot whose count reaches
        ``commands_sent`` read after sending was made after the command was carried out."""
        done = threading.Event()
        self.commands_sent += 1
        self._commands.put((name, arg, done))
        return done

    def play(self): return self._send("play")
    def pause(self): return self._send("pause")
    def step(self): return self._send("step")
    def step_epoch(self): return self._send("step_epoch")
    def reset(self): return self._send("reset")
    def set_lr(self, lr: float): return self._send("set_lr", float(lr))
    def set_batch_size(self, batch_size): return self._send("set_batch_size", batch_size)
    def set_speed(self, steps_per_second): return self._send("set_speed", steps_per_second)

    def set_weights(self, edits, before: Future | None = None) -> threading.Event:
        """Hand edits of the weights (``labs.hands``), then a fresh snapshot: no training.
        ``before`` gets the values the edits replaced, read in the worker as it writes them;
        ``edits`` may be a callable the worker calls for them (an undo reading such a Future)."""
        return self._send("set_weights", (edits if callable(edits) else list(edits), before))

    def set_probe_image(self, index: int, image) -> threading.Event:
        """A painted probe image in place of probe ``index``, then a fresh snapshot."""
        return self._send("set_probe_image", (int(index), np.array(image)))

    def update_settings(self, settings: TrainingSettings) -> threading.Event:
        """Apply settings that need no reset (learning rate, batch size, regularization...) live."""
        return self._send("update_settings", settings)

    def replace(self, trainer: Trainer | None) -> threading.Event:
        """Swap in a freshly built trainer (structure or dataset changed); training pauses."""
        return self._send("replace", trainer)

    def rewind(self, step: int) -> Future:
        """Go back to the timeline's moment at ``step`` (paused); the Future holds the
        ``Abandoned`` future that ``come_back`` restores (undo), or the error."""
        future: Future = Future()
        self._send("rewind", (step, future))
        return future

    def come_back(self, abandoned) -> threading.Event:
        """Undo a ``rewind``: the abandoned state and its moments return (paused)."""
        return self._send("come_back", abandoned)

    def call(self, fn: Callable[[Trainer | None], Any]) -> Future:
        future: Future = Future()
        self._send("call", (fn, future))
        return future

    # -- results (UI thread) -------------------------------------------------------------------
    def take_snapshot(self):
        """The newest snapshot not yet taken, or None."""
        return self._publisher.take_snapshot()

    def take_events(self) -> list[WorkerEvent]:
        """Errors and warnings from the worker since the last call, oldest first."""
        return self._publisher.take_events()

    def latest_snapshot_of(self, network) -> Any:
        """The newest snapshot published from ``network`` (taken or not), or None: what Save
        falls back to when the worker does not answer."""
        return self._publisher.latest_snapshot_of(network)

    def drain_batch_losses(self) -> tuple[np.ndarray, np.ndarray]:
        return self._publisher.drain_batch_losses()

    @property
    def dropped(self) -> int:
        """Snapshots replaced before the UI took them."""
        return self._publisher.dropped

    @property
    def published(self) -> int:
        return self._publisher.published

    # -- the worker ------------------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            try:
                timeout = 0 if self._mode != "idle" else IDLE_WAIT
                name, arg, done = self._commands.get(timeout=timeout) if timeout else \
                    self._commands.get_nowait()
            except queue.Empty:
                name = None
            if name is None:            # outside the except: a traceback without queue.Empty in it
                if self._mode != "idle":
                    try:
                        self._run_chunk()
                    except Exception as exc:  # noqa: BLE001 - any failure pauses, never kills, the worker
                        self._fail(exc)
                continue
            if name == "stop":
                done.set()
                return
            self._commands_done += 1
            try:
                self._handle(name, arg)
            except Exception as exc:          # noqa: BLE001 - as above
                self._fail(exc)
            finally:
                done.set()

    def _fail(self, exc: Exception) -> None:
        """Pause, put back the weights from before the chunk, and tell the UI what went wrong
        (the news is posted before the run shows as paused: whoever sees it paused finds why)."""
        details = "".join(traceback.format_exception(exc))
        t = self._trainer
        restored, in_chunk, self._in_chunk = False, self._in_chunk, False
        try:
            good = self._good
            if in_chunk and t is not None and good is not None and good.shape == t.net.flat_params.shape:
                np.copyto(t.net.flat_params, good)
                # the optimizer's state may be half-updated: it starts again from the good weights
                t.optimizer = make_optimizer(t.settings.optimizer, {"all": t.net.flat_params})
                restored = True
        except Exception:                     # noqa: BLE001 - the report below matters more
            details += "\nwhile putting the weights back:\n" + traceback.format_exc()
        kept = " The weights from before it are kept." if restored else ""
        self._publisher.post(WorkerEvent(
            "error", f"Training stopped because of an error: {describe_error(exc)}.{kept}", details))
        self._mode = "idle"
        try:
            self._publish(force=True)
        except Exception:                     # noqa: BLE001 - a snapshot that fails is reported already
            pass

    def _run_chunk(self) -> None:
        t = self._trainer
        self._keep_good(t)
        limited = self._max_rate is not None and self._mode == "play"
        n = max(1, int(self._max_rate * CHUNK_SECONDS)) if limited else 1 << 30
        first = self._mode == "play" and not self._step_checked
        if first:
            n = 1                       # the first steps on Play are timed on their own
        start = self._clock()
        done = self._train(t, n, deadline=start + CHUNK_SECONDS)
        self._in_chunk = False
        if first and done and self._mode == "play":
            seconds = self._clock() - start
            if seconds <= SLOW_STEP:
                self._step_checked = True
            elif self._slow_steps == 0:
                self._slow_steps = 1    # the first may have compiled kernels: time a second one
            else:
                self._publisher.post(WorkerEvent(
                    "slow", f"Each step of this network takes ~{seconds_text(seconds)}",
                    seconds=seconds))
                self._step_checked, self._mode = True, "idle"
                self._publish(force=True)
                return
        if limited:
            self._rest_until(start + done / self._max_rate)
        if self._mode == "epoch" and t.epoch >= self._epoch_target:
            self._mode = "idle"
            self._publish(force=True)
        else:
            self._publish()

    def _cap(self, t: Trainer, k: int) -> int:
        """A part ends at the next timeline moment and, playing, at the epoch limit."""
        epochs = steps_left(t.settings, t) if self._mode != "idle" else None
        for limit in (self.timeline.steps_to_next(t.step_count), epochs):
            if limit is not None:
                k = min(k, limit)
        return k

    def _keep_good(self, t: Trainer) -> None:
        """Copy the weights before a chunk: an error in it puts them back (a copy costs far less
        than a step, which touches every weight once per example)."""
        params = t.net.flat_params
        self._in_chunk = True
        if self._good is None or self._good.shape != params.shape:
            self._good = params.copy()
        else:
            np.copyto(self._good, params)

    def _part_size(self, left: int, deadline: float | None, done: int) -> int:
        """How many steps the next part runs: 1 until a step was timed, then as many as fit
        before the chunk's deadline (CHUNK_SECONDS without one); 0 when not even one more fits."""
        spp = self._seconds_per_step
        if spp is None or self._mode == "epoch":
            return 1
        budget = CHUNK_SECONDS
        if deadline is not None:
            budget = min(budget, deadline - self._clock())
        k = int(budget / max(spp, 1e-9))
        if k < 1:
            return 0 if done else 1     # a chunk always makes progress, one step at least
        return min(k, left)

    def _train(self, t: Trainer, n: int, deadline: float | None = None) -> int:
        """Up to ``n`` steps, stopping at ``deadline`` (fewer when an epoch command reaches its
        epoch); Diverged stops the run. Returns the steps taken.

        Playing, the steps go in parts through ``trainer.run(k)``: one call runs many steps in
        the fused kernel, which releases the GIL, where ``step()`` would come back to Python
        every step. A part ends at the chunk's deadline, at a timeline moment, or at an epoch
        limit."""
        total, done = 0.0, 0
        try:
            while done < n:
                k = self._cap(t, self._part_size(n - done, deadline, done))
                if k == 0:
                    break
                start = self._clock()
                # the loss of the part's last batch stands for the part (a sample of the batches)
                total += (t.step() if k == 1 else t.run(k)) * k
                done += k
                self._measure(self._clock() - start, k)
                self.timeline.record(t)
                if self._mode != "idle" and self._stop_now(t):
                    break
                if self._mode == "epoch" and t.epoch >= self._epoch_target:
                    break
                if deadline is not None and self._clock() >= deadline:
                    break
        except Diverged as exc:
            self._mode = "idle"
            self._diverged = str(exc)
            self._publish(force=True)
        if done:
            self._publisher.log_batch(t.epoch_position, total / done)
            self._count_rate(done)
        return done

    def _measure(self, elapsed: float, steps: int) -> None:
        """Seconds per step: the first measurement as it is, then an average that follows changes
        (a part four times slower than expected sets it at once: parts never run long)."""
        spp = elapsed / steps
        old = self._seconds_per_step
        self._seconds_per_step = spp if old is None or spp > 4 * old else 0.7 * old + 0.3 * spp

    def _rest_until(self, deadline: float) -> None:
        """Sleep (without the GIL) until ``deadline``, waking early for a command."""
        while self._commands.empty():
            remaining = deadline - self._clock()
            if remaining <= 0:
                return
            self._sleep(min(remaining, 0.01))

    def _count_rate(self, done: int) -> None:
        self._rate_steps += done
        now = self._clock()
        if now - self._rate_start >= 0.5:
            self.steps_per_second = self._rate_steps / (now - self._rate_start)
            self._rate_steps, self._rate_start = 0, now

    def _publish(self, force: bool = False) -> None:
        """The trainer's snapshot for the UI: when forced (the state changed), or at the rate."""
        self._publisher.publish(self._trainer, force, steps_per_second=self.steps_per_second,
                                running=self._mode != "idle", diverged=self._diverged,
                                commands_done=self._commands_done)
