"""The book build's kernels, forked from a process that has already imported the scientific stack.

Each chapter runs in a fresh IPython kernel. Started as a new process, a kernel spends most of its
time importing (statsmodels alone takes about 2 s on the 2-core machine, scipy and matplotlib
most of another), and the book's chapters are short, so the build mostly waited for imports. Here a *fork
server* imports those libraries once; each kernel is then a forked copy of it that runs
``python -m ipykernel_launcher`` exactly as a new process would, in its own session, working directory
and environment. Only third-party modules are imported ahead (:data:`PRELOAD`; the server runs this file
as a script, so not even the ``ridersurvey`` package is imported ahead): each kernel imports the book's
own library itself, from its own ``sys.path``, and sees ``lib/`` and ``data/`` as they are when it runs.
What a new process would take from its environment at start-up (``sys.path`` from ``PYTHONPATH``, the
preloaded modules' settings) is the server's, so the server forks only for a request whose environment
is its own, apart from the variables a launcher sets per kernel (:data:`PER_KERNEL`); for any other
request the provisioner starts a new process.

Three pieces:

* :func:`serve` (``python .../kernelfork.py ADDRESS``): imports :data:`PRELOAD`, then forks
  one kernel per request on a Unix socket and reports each kernel's exit status on its request's
  connection. It stops when the process that started it ends.
* :class:`ForkingProvisioner`: a ``jupyter_client`` kernel provisioner (entry point
  ``ridersurvey-fork``) that asks the server for a kernel when ``RIDERSURVEY_KERNEL_FORK`` names one and
  the kernel command is this interpreter's ``-m ipykernel_launcher``; in every other case it launches a
  process like jupyter_client's local provisioner, which it extends.
* :func:`setup`: a Sphinx extension that starts a server of its own when a build has documents to read,
  on Linux (in the main process, before reading, so Sphinx's parallel readers share it), makes the
  provisioner the default one for the build's kernels, and stops the server when the build ends.

JupyterLab, ``jupytext`` + ``nbclient`` runs and any other use of Jupyter are unaffected: the provisioner
is the default only inside a build that loaded this extension.
"""

from __future__ import annotations

import importlib
import json
import os
import random
import runpy
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

__all__ = [
    "PRELOAD",
    "ENV",
    "PROVISIONER",
    "PER_KERNEL",
    "Refused",
    "ForkedKernel",
    "ForkingProvisioner",
    "serve",
    "start_server",
    "stop_server",
    "setup",
]

#: Environment variable naming the running fork server, as ``PID:SOCKET``; ``off`` (or ``0``) before a
#: build makes it start every kernel as a new process.
ENV = "RIDERSURVEY_KERNEL_FORK"

_OFF = ("", "0", "off")

#: The provisioner's entry-point name (``jupyter_client.kernel_provisioners``).
PROVISIONER = "ridersurvey-fork"

#: Modules the server imports before it forks: the kernels' common imports, third-party only (one that is
#: not installed is skipped).
PRELOAD = (
    "numpy",
    "pandas",
    "scipy.stats",
    "statsmodels.api",
    "matplotlib.pyplot",
    "IPython",
    "ipykernel.kernelapp",
)

#: Variables that may differ between a kernel's environment and the server's (set per kernel or per build).
PER_KERNEL = frozenset({"JPY_PARENT_PID", "JPY_SESSION_NAME", "JPY_INTERRUPT_EVENT", "IPY_INTERRUPT_EVENT", ENV})

_INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


class Refused(ConnectionError):
    """The server does not fork this request (its environment differs from the server's)."""


def _differences(own: dict[str, str], requested: dict[str, str]) -> list[str]:
    """Variables (apart from :data:`PER_KERNEL`) whose values differ between two environments.

    ``MPLBACKEND`` unset in the request counts as the inline backend the server imported with, which
    ipykernel would set. Also ignored: ``JUPYTER_DEFAULT_PROVISIONER_NAME`` (it only chooses how kernels
    start) and ``PYTEST_CURRENT_TEST`` (pytest's name of the running test).
    """
    requested = dict(requested)
    requested.setdefault("MPLBACKEND", _INLINE_BACKEND)
    ignored = PER_KERNEL | {"JUPYTER_DEFAULT_PROVISIONER_NAME", "PYTEST_CURRENT_TEST"}
    names = (set(own) | set(requested)) - ignored
    return sorted(name for name in names if own.get(name) != requested.get(name))


_READY_TIMEOUT = 30.0


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists and has not ended (a zombie, not yet reaped, has ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] != "Z"


def _is_this_ipykernel(cmd: list[str]) -> bool:
    """Whether ``cmd`` is ``<this interpreter> -m ipykernel_launcher ...`` (what the server can fork)."""
    if len(cmd) < 3 or cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return False
    import shutil

    found = shutil.which(os.path.expanduser(cmd[0]))
    return found is not None and os.path.realpath(found) == os.path.realpath(sys.executable)


def _send(conn: socket.socket, message: dict[str, Any]) -> None:
    conn.sendall(json.dumps(message).encode() + b"\n")


def _receive(conn: socket.socket, buffer: bytearray) -> dict[str, Any] | None:
    """Read one newline-terminated JSON message; ``None`` at end of stream."""
    while b"\n" not in buffer:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        buffer.extend(chunk)
    line, _, rest = bytes(buffer).partition(b"\n")
    buffer[:] = rest
    return json.loads(line)


# --------------------------------------------------------------------------------------------- server
def _become_kernel(request: dict[str, Any]) -> None:
    """In a forked child: become ``python -m ipykernel_launcher <args>`` in the requested context."""
    os.setsid()
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.path.insert(0, os.getcwd())  # as ``python -m`` does
    random.seed()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()
    sys.argv = [request["argv"][0], *request["argv"][3:]]
    code = 0
    try:
        runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                if stream is not None:
                    stream.flush()
            except Exception:
                pass
    os._exit(code)


def serve(address: str, preload: tuple[str, ...] = PRELOAD) -> None:
    """Import ``preload``, then fork a kernel for each request on the Unix socket ``address``.

    A request is one JSON line ``{"argv": [...], "env": {...}, "cwd": "..."}``; the reply is
    ``{"pid": N}`` and, when that kernel has ended, ``{"returncode": N}`` (negative: killed by that
    signal), or ``{"refused": [names]}`` when the request's environment differs from the server's in
    those variables. The server ends when the process that started it does (or on SIGTERM), and removes the
    socket.

    Parameters
    ----------
    address : str
        Path of the Unix socket to listen on (created before the imports).
    preload : tuple of str
        Modules to import before forking.
    """
    os.environ.setdefault("MPLBACKEND", _INLINE_BACKEND)
    own = dict(os.environ)
    parent = os.getppid()
    # listen at once: requests wait in the backlog while the imports run, and see the connection close if
    # the server dies on the way
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(16)
    for name in preload:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # not installed: the kernels import what they need themselves
    kernels: dict[int, socket.socket] = {}
    stopping = False

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    try:
        while not stopping and os.getppid() == parent:
            for _key, _ in selector.select(timeout=0.05):
                conn, _ = listener.accept()
                conn.settimeout(10)
                try:
                    request = _receive(conn, bytearray())
                except (OSError, ValueError):
                    request = None
                if request is None:
                    conn.close()
                    continue
                differences = _differences(own, request.get("env", {}))
                if differences:
                    try:
                        _send(conn, {"refused": differences})
                    except OSError:
                        pass
                    conn.close()
                    continue
                pid = os.fork()
                if pid == 0:
                    selector.close()
                    listener.close()
                    for other in kernels.values():
                        other.close()
                    conn.close()
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                    _become_kernel(request)
                kernels[pid] = conn
                _send(conn, {"pid": pid})
            while kernels:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                if pid in kernels:
                    conn = kernels.pop(pid)
                    try:
                        _send(conn, {"returncode": os.waitstatus_to_exitcode(status)})
                    except OSError:
                        pass
                    conn.close()
    finally:
        listener.close()
        Path(address).unlink(missing_ok=True)
        for pid in kernels:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass


# ----------------------------------------------------------------------------------------- client
class ForkedKernel:
    """A kernel forked by the server, with the part of :class:`subprocess.Popen` jupyter_client uses.

    Parameters
    ----------
    conn : socket.socket
        The request's connection; the server writes the kernel's exit status on it.
    pid : int
        The kernel's process id (also its session and process-group id).
    """

    stdin = stdout = stderr = None

    def __init__(self, conn: socket.socket, pid: int) -> None:
        self._conn = conn
        self._buffer = bytearray()
        self.pid = pid
        self.returncode: int | None = None

    @classmethod
    def start(cls, server: str, argv: list[str], env: dict[str, str], cwd: str | None) -> ForkedKernel:
        """Ask the server ``PID:SOCKET`` for a kernel (waiting while it starts and imports).

        Raises
        ------
        Refused
            If the request's environment differs from the server's (apart from :data:`PER_KERNEL`).
        OSError
            If the server is not running or does not answer.
        """
        server_pid, _, address = server.partition(":")
        deadline = time.monotonic() + _READY_TIMEOUT
        while True:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                conn.connect(address)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                conn.close()
                if not _alive(int(server_pid)):
                    raise ProcessLookupError(f"fork server {server} not running") from None
                if time.monotonic() > deadline:
                    raise TimeoutError(f"fork server {server} timed out") from None
                time.sleep(0.05)
        conn.settimeout(30)
        _send(conn, {"argv": argv, "env": env, "cwd": cwd or os.getcwd()})
        buffer = bytearray()
        reply = _receive(conn, buffer)
        if reply is not None and "refused" in reply:
            conn.close()
            raise Refused(f"environment differs: {', '.join(reply['refused'])}")
        if reply is None or "pid" not in reply:
            conn.close()
            raise ConnectionError(f"no kernel from {server}")
        kernel = cls(conn, int(reply["pid"]))
        kernel._buffer = buffer
        return kernel

    def _read_status(self, block: bool) -> None:
        if self.returncode is not None:
            return
        self._conn.setblocking(block)
        try:
            message = _receive(self._conn, self._buffer)
        except BlockingIOError:
            return
        except OSError:
            message = None
        if message is None:
            self.returncode = self._returncode_without_server()
        else:
            self.returncode = int(message["returncode"])
        self._conn.close()

    def _returncode_without_server(self) -> int:
        """The server went away: the kernel has ended unless its process still exists."""
        while True:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return -signal.SIGKILL
            except PermissionError:
                pass
            time.sleep(0.1)

    def poll(self) -> int | None:
        """The exit status if the kernel has ended, else ``None``."""
        self._read_status(block=False)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the kernel to end and return its exit status."""
        if timeout is None:
            self._read_status(block=True)
        else:
            deadline = time.monotonic() + timeout
            while self.poll() is None:
                if time.monotonic() > deadline:
                    raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
                time.sleep(0.02)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel (not to its process group, as ``Popen.send_signal``)."""
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkingProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, except that it forks ``ipykernel`` from the build's server.

    Used when ``$RIDERSURVEY_KERNEL_FORK`` names a running server, the kernel command is this
    interpreter's ``-m ipykernel_launcher`` and no stream is redirected; otherwise (or if the server
    does not answer) it starts a process exactly as :class:`LocalProvisioner` does.
    """

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        server = os.environ.get(ENV, "")
        redirected = any(kwargs.get(name) is not None for name in ("stdout", "stderr"))
        if server not in _OFF and not redirected and _is_this_ipykernel(cmd):
            env = dict(kwargs.get("env") or os.environ)
            env.setdefault("JPY_PARENT_PID", str(os.getpid()))
            try:
                kernel = ForkedKernel.start(server, cmd, env, kwargs.get("cwd"))
            except Refused as refused:
                self.log.debug("%s; starting a new process", refused)
            except OSError as error:
                self.log.warning("fork server unavailable: %s", error)
            else:
                self.process = kernel  # type: ignore[assignment]  # the part of Popen the provisioner uses
                self.pid = self.pgid = kernel.pid
                return self.connection_info
        return await super().launch_kernel(cmd, **kwargs)


# ------------------------------------------------------------------------------------------ Sphinx
def start_server(
    preload: tuple[str, ...] = PRELOAD, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """Start a fork server in a new process; return it and the ``PID:SOCKET`` value for :data:`ENV`.

    ``env`` (default: this process's) is the server's environment, hence the one it forks kernels for.

    The server imports ``preload`` in the background; the first kernel request waits until it listens.
    It runs this file as a script from a directory of its own, so that nothing of ``ridersurvey`` is
    imported ahead of the kernels.
    """
    directory = tempfile.mkdtemp(prefix="ridersurvey-kernels-")
    address = os.path.join(directory, "server.sock")
    env = {name: value for name, value in (os.environ if env is None else env).items() if name != ENV}
    script = f"import runpy, sys; sys.path.pop(0); runpy.run_path({__file__!r}, run_name='__main__')"
    process = subprocess.Popen(
        [sys.executable, "-c", script, address, *preload], env=env, cwd=directory, stdin=subprocess.DEVNULL
    )
    return process, f"{process.pid}:{address}"


def stop_server(process: subprocess.Popen[bytes], value: str) -> None:
    """Stop a server from :func:`start_server`, remove its socket and directory, and unset :data:`ENV` if
    it names this server."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    address = Path(value.partition(":")[2])
    address.unlink(missing_ok=True)
    try:
        address.parent.rmdir()
    except OSError:
        pass
    if os.environ.get(ENV) == value:
        del os.environ[ENV]


_previous: dict[str, str | None] = {}


def _on_before_read(app: Any, env: Any, docnames: list[str]) -> None:
    """Start the build's server if documents are to be read (a rebuild with nothing to read starts none)."""
    if not docnames or getattr(app, "_ridersurvey_kernel_server", None) is not None:
        return
    if app.config.nb_execution_mode == "off" or os.environ.get(ENV) in ("0", "off"):
        return
    if not sys.platform.startswith("linux"):
        return
    for name in (ENV, "JUPYTER_DEFAULT_PROVISIONER_NAME"):
        _previous[name] = os.environ.get(name)
    process, value = start_server()
    os.environ[ENV] = value
    os.environ["JUPYTER_DEFAULT_PROVISIONER_NAME"] = PROVISIONER
    app._ridersurvey_kernel_server = (process, value)


def _on_build_finished(app: Any, exception: BaseException | None) -> None:
    server = getattr(app, "_ridersurvey_kernel_server", None)
    if server is not None:
        stop_server(*server)
        app._ridersurvey_kernel_server = None
        for name, value in _previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _previous.clear()


def setup(app: Any) -> dict[str, Any]:
    """Sphinx extension: the build's kernels come from a fork server started for the build."""
    app.connect("env-before-read-docs", _on_before_read)
    app.connect("build-finished", _on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    serve(sys.argv[1], tuple(sys.argv[2:]) or PRELOAD)
