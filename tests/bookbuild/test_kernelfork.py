"""The build's kernel fork server and provisioner (``bookbuild.kernelfork``): kernels forked from the
server behave as new processes (working directory, environment, own session, fresh random state), report
their exit status, and the provisioner falls back to a new process when no server is running."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from jupyter_client import KernelManager
from jupyter_client.provisioning.factory import KernelProvisionerFactory

from bookbuild import kernelfork

PRELOAD = ("json", "ipykernel.kernelapp")


@pytest.fixture
def server(monkeypatch):
    process, value = kernelfork.start_server(PRELOAD)
    monkeypatch.setenv(kernelfork.ENV, value)
    yield process, value
    kernelfork.stop_server(process, value)


@pytest.fixture
def forking_default(monkeypatch):
    factory = KernelProvisionerFactory.instance()
    monkeypatch.setattr(factory, "default_provisioner_name", "ridersurvey-fork")
    return factory


def _run(km: KernelManager, code: str) -> dict:
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        reply = kc.execute_interactive(code, user_expressions={"value": "value"}, timeout=60)
        return reply["content"]["user_expressions"]["value"]
    finally:
        kc.stop_channels()


def _new_process_sys_path(cwd: Path) -> list[str]:
    """``sys.path`` in a kernel started as a new process in ``cwd``."""
    previous = os.environ.get(kernelfork.ENV)
    os.environ[kernelfork.ENV] = "off"
    km = KernelManager(kernel_name="python3")
    try:
        km.start_kernel(cwd=str(cwd))
        return eval(_value(_run(km, "import sys\nvalue = sys.path")))
    finally:
        km.shutdown_kernel(now=True)
        if previous is None:
            del os.environ[kernelfork.ENV]
        else:
            os.environ[kernelfork.ENV] = previous


def _value(result: dict) -> str:
    assert result["status"] == "ok", result
    return result["data"]["text/plain"]


def test_the_provisioner_is_registered_for_jupyter_client(forking_default):
    assert forking_default.is_provisioner_available(SimpleNamespace(metadata={}))
    assert "ridersurvey-fork" in forking_default.provisioners


def test_a_forked_kernel_runs_in_its_own_directory_environment_and_session(server, forking_default, tmp_path):
    process, _ = server
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(tmp_path))
    try:
        assert isinstance(km.provisioner, kernelfork.ForkingProvisioner)
        assert isinstance(km.provisioner.process, kernelfork.ForkedKernel)
        pid = km.provisioner.process.pid
        code = (
            "import os, sys\n"
            "value = (os.getppid(), os.getcwd(), os.environ.get('JPY_PARENT_PID'), os.getsid(0) == os.getpid(),"
            " 'json' in sys.modules, sorted(m for m in sys.modules if m.split('.')[0] == 'ridersurvey'),"
            " sys.path, sys.argv[1])"
        )
        ppid, cwd, parent, own_session, preloaded, ours, path, flag = eval(_value(_run(km, code)))
        assert ppid == process.pid != os.getpid() and parent == str(os.getpid())
        assert Path(cwd) == tmp_path and own_session and flag == "-f"
        assert path == _new_process_sys_path(tmp_path)
        # third-party modules come preloaded, the book's own library never does
        assert preloaded and ours == []
        assert km.provisioner.process.poll() is None
    finally:
        km.shutdown_kernel(now=False)
    assert km.provisioner is None or km.provisioner.process is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_kernel_with_another_environment_is_a_new_process(server, forking_default):
    km = KernelManager(kernel_name="python3")
    km.start_kernel(env={**os.environ, "PYTHONPATH": "/elsewhere", "RIDERSURVEY_PROBE": "new"})
    try:
        assert not isinstance(km.provisioner.process, kernelfork.ForkedKernel)
        code = "import os, sys\nvalue = (os.getppid(), os.environ['RIDERSURVEY_PROBE'], '/elsewhere' in sys.path)"
        assert eval(_value(_run(km, code))) == (os.getpid(), "new", True)
    finally:
        km.shutdown_kernel(now=True)


def test_the_server_refuses_a_request_with_another_environment(server):
    _, value = server
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "kernel.json"]
    with pytest.raises(kernelfork.Refused, match="PYTHONPATH"):
        kernelfork.ForkedKernel.start(value, argv, {**os.environ, "PYTHONPATH": "/elsewhere"}, None)


def test_only_per_kernel_variables_may_differ():
    own = {"PATH": "/bin", "MPLBACKEND": kernelfork._INLINE_BACKEND, kernelfork.ENV: "1:/s"}
    assert kernelfork._differences(own, {"PATH": "/bin", "JPY_PARENT_PID": "7"}) == []
    assert kernelfork._differences(own, {"PATH": "/bin", "JUPYTER_DEFAULT_PROVISIONER_NAME": "x"}) == []
    assert kernelfork._differences(own, {"PATH": "/usr/bin"}) == ["PATH"]
    assert kernelfork._differences(own, {"PATH": "/bin", "MPLBACKEND": "agg", "X": "1"}) == ["MPLBACKEND", "X"]


def test_forked_kernels_do_not_share_a_random_state(server, forking_default):
    draws = []
    for _ in range(2):
        km = KernelManager(kernel_name="python3")
        km.start_kernel()
        try:
            draws.append(_value(_run(km, "import random\nvalue = random.random()")))
        finally:
            km.shutdown_kernel(now=True)
    assert draws[0] != draws[1]


def test_the_server_reports_each_kernels_exit_status(server, tmp_path):
    _, value = server
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "kernel.json")]
    argv.append("--IPKernelApp.kernel_class=nonexistent.Kernel")
    kernel = kernelfork.ForkedKernel.start(value, argv, dict(os.environ), None)
    # as a new process would, ipykernel exits with status 1 on a configuration error
    assert kernel.wait(timeout=60) == 1
    assert kernel.poll() == kernel.returncode


def test_a_killed_kernel_reports_the_signal(server, tmp_path):
    _, value = server
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "kernel.json")]
    kernel = kernelfork.ForkedKernel.start(value, argv, dict(os.environ), str(tmp_path))
    time.sleep(0.5)
    assert kernel.poll() is None
    kernel.kill()
    assert kernel.wait(timeout=30) == -signal.SIGKILL


def test_without_a_server_the_provisioner_starts_a_new_process(monkeypatch, forking_default):
    monkeypatch.setenv(kernelfork.ENV, "off")
    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    try:
        assert isinstance(km.provisioner, kernelfork.ForkingProvisioner)
        assert not isinstance(km.provisioner.process, kernelfork.ForkedKernel)
        assert int(_value(_run(km, "import os\nvalue = os.getppid()"))) == os.getpid()
    finally:
        km.shutdown_kernel(now=True)


def test_an_unreachable_server_is_an_os_error(tmp_path):
    with pytest.raises(ProcessLookupError):
        kernelfork.ForkedKernel.start(f"999999999:{tmp_path / 'none.sock'}", [sys.executable], {}, None)


@pytest.mark.parametrize(
    "cmd, forkable",
    [
        ([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"], True),
        ([sys.executable, "-m", "other_kernel", "-f", "c.json"], False),
        (["/usr/bin/env", "-m", "ipykernel_launcher", "-f", "c.json"], False),
        ([sys.executable], False),
    ],
)
def test_only_this_interpreters_ipykernel_is_forked(cmd, forkable):
    assert kernelfork._is_this_ipykernel(cmd) is forkable


def test_the_sphinx_hooks_start_and_stop_a_server_of_the_builds_own(monkeypatch):
    monkeypatch.setenv(kernelfork.ENV, "123:/inherited.sock")
    monkeypatch.delenv("JUPYTER_DEFAULT_PROVISIONER_NAME", raising=False)
    started = []
    original = kernelfork.start_server

    def start_server(preload=PRELOAD):
        started.append(original(PRELOAD))
        return started[-1]

    monkeypatch.setattr(kernelfork, "start_server", start_server)
    app = SimpleNamespace(config=SimpleNamespace(nb_execution_mode="inline"))
    kernelfork._on_before_read(app, None, ["chapters/intro"])
    kernelfork._on_before_read(app, None, ["chapters/model"])  # one server per build
    ((process, value),) = started
    assert os.environ[kernelfork.ENV] == value
    assert os.environ["JUPYTER_DEFAULT_PROVISIONER_NAME"] == "ridersurvey-fork"
    kernelfork._on_build_finished(app, None)
    assert process.wait(timeout=10) is not None
    assert os.environ[kernelfork.ENV] == "123:/inherited.sock"
    assert "JUPYTER_DEFAULT_PROVISIONER_NAME" not in os.environ
    assert not Path(value.partition(":")[2]).parent.exists()


@pytest.mark.parametrize(
    "mode, variable, docnames", [("off", None, ["a"]), ("inline", "off", ["a"]), ("inline", None, [])]
)
def test_a_build_that_executes_nothing_or_is_told_off_starts_no_server(monkeypatch, mode, variable, docnames):
    if variable is None:
        monkeypatch.delenv(kernelfork.ENV, raising=False)
    else:
        monkeypatch.setenv(kernelfork.ENV, variable)
    app = SimpleNamespace(config=SimpleNamespace(nb_execution_mode=mode))
    kernelfork._on_before_read(app, None, docnames)
    assert os.environ.get(kernelfork.ENV) == variable and not hasattr(app, "_ridersurvey_kernel_server")


def test_a_preloaded_module_that_is_not_installed_is_skipped(monkeypatch, tmp_path):
    process, value = kernelfork.start_server(("json", "no_such_module_for_ridersurvey", "ipykernel.kernelapp"))
    try:
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "kernel.json")]
        kernel = kernelfork.ForkedKernel.start(value, argv, dict(os.environ), str(tmp_path))
        assert kernel.poll() is None
        kernel.kill()
        assert kernel.wait(timeout=30) == -signal.SIGKILL
    finally:
        kernelfork.stop_server(process, value)


def test_a_server_that_has_ended_but_is_not_reaped_counts_as_gone():
    import subprocess

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while kernelfork._alive(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not kernelfork._alive(child.pid)  # a zombie until reaped
    child.wait()
    assert kernelfork._alive(os.getpid())
