"""Watch an X display from outside a program: when a window with a given title is mapped, and when its
contents are first painted. The installed program is a frozen executable, so the package test and
``bench/package_start.py`` cannot hook into it as the other benches do; they watch the screen instead,
the same way for the installed copy and for the checkout. Plain libX11 through ctypes (no extra package).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
_MAP_NOTIFY = 19
_Z_PIXMAP = 2
_ALL_PLANES = ctypes.c_ulong(~0 & 0xFFFFFFFFFFFFFFFF)


class _XMapEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("event", ctypes.c_ulong),
        ("window", ctypes.c_ulong),
        ("override_redirect", ctypes.c_int),
    ]


class _XEvent(ctypes.Union):
    _fields_ = [("type", ctypes.c_int), ("xmap", _XMapEvent), ("pad", ctypes.c_long * 24)]


class _XImage(ctypes.Structure):
    _fields_ = [  # the leading members of Xlib's XImage
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int),
        ("data", ctypes.POINTER(ctypes.c_ubyte)),
        ("byte_order", ctypes.c_int),
        ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int),
        ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
        ("bits_per_pixel", ctypes.c_int),
    ]


class _XWindowAttributes(ctypes.Structure):
    _fields_ = [  # the leading members of Xlib's XWindowAttributes
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("border_width", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p),
        ("root", ctypes.c_ulong),
        ("class_", ctypes.c_int),
        ("rest", ctypes.c_long * 32),
    ]


def _xlib() -> ctypes.CDLL:
    name = ctypes.util.find_library("X11") or "libX11.so.6"
    lib = ctypes.CDLL(name)
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XDefaultRootWindow.restype = ctypes.c_ulong
    lib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    lib.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
    lib.XConnectionNumber.argtypes = [ctypes.c_void_p]
    lib.XPending.argtypes = [ctypes.c_void_p]
    lib.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.POINTER(_XEvent)]
    lib.XFlush.argtypes = [ctypes.c_void_p]
    lib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    lib.XInternAtom.restype = ctypes.c_ulong
    lib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    lib.XGetWindowProperty.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long, ctypes.c_int,
        ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_int),
        ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte)),
    ]
    lib.XFree.argtypes = [ctypes.c_void_p]
    lib.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XWindowAttributes)]
    lib.XGetImage.restype = ctypes.POINTER(_XImage)
    lib.XGetImage.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
        ctypes.c_ulong, ctypes.c_int,
    ]
    lib.XSetErrorHandler.restype = ctypes.c_void_p
    lib.XSetErrorHandler.argtypes = [ctypes.c_void_p]
    return lib


_ERROR_HANDLER_TYPE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
_ignore_errors = _ERROR_HANDLER_TYPE(lambda _display, _event: 0)  # a window may vanish while we look


@dataclass(frozen=True)
class Shown:
    window: int
    mapped: float  # time.time() when the window was mapped
    painted: float  # time.time() when its contents were first not blank
    width: int
    height: int


class Watcher:
    """Subscribe to the root window's map events before the program starts, then :meth:`wait_for`."""

    def __init__(self, display: str) -> None:
        self.x = _xlib()
        self.x.XSetErrorHandler(ctypes.cast(_ignore_errors, ctypes.c_void_p))
        self.dpy = self.x.XOpenDisplay(display.encode())
        if not self.dpy:
            raise RuntimeError(f"cannot open X display {display}")
        self.root = self.x.XDefaultRootWindow(self.dpy)
        self.x.XSelectInput(self.dpy, self.root, _SUBSTRUCTURE_NOTIFY_MASK)
        self.x.XSync(self.dpy, 0)
        self.utf8 = self.x.XInternAtom(self.dpy, b"UTF8_STRING", 0)
        self.net_wm_name = self.x.XInternAtom(self.dpy, b"_NET_WM_NAME", 0)

    def close(self) -> None:
        if self.dpy:
            self.x.XCloseDisplay(self.dpy)
            self.dpy = None

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def title(self, window: int) -> str:
        kind, fmt = ctypes.c_ulong(), ctypes.c_int()
        count, after = ctypes.c_ulong(), ctypes.c_ulong()
        data = ctypes.POINTER(ctypes.c_ubyte)()
        status = self.x.XGetWindowProperty(
            self.dpy, window, self.net_wm_name, 0, 1024, 0, self.utf8,
            ctypes.byref(kind), ctypes.byref(fmt), ctypes.byref(count), ctypes.byref(after),
            ctypes.byref(data),
        )
        if status != 0 or not data:
            return ""
        try:
            return bytes(data[: count.value]).decode("utf-8", "replace")
        finally:
            self.x.XFree(data)

    def geometry(self, window: int) -> tuple[int, int, int, int]:
        """x, y (on the root: there is no window manager), width, height; zeros if it is gone."""
        attrs = _XWindowAttributes()
        if not self.x.XGetWindowAttributes(self.dpy, window, ctypes.byref(attrs)):
            return 0, 0, 0, 0
        return attrs.x, attrs.y, attrs.width, attrs.height

    def _painted(self, window: int) -> tuple[bool, int, int]:
        _, _, width, height = self.geometry(window)
        if not width:
            return False, 0, 0
        image = self.x.XGetImage(self.dpy, window, 0, 0, width, height, _ALL_PLANES, _Z_PIXMAP)
        if not image:
            return False, width, height
        try:
            img = image.contents
            size = img.bytes_per_line * img.height
            raw = ctypes.string_at(img.data, size)
            step = img.bits_per_pixel // 8
            first = raw[:step]
            return raw != first * (size // step), width, height
        finally:
            self.x.XFree(image.contents.data)
            self.x.XFree(image)

    def wait_for(self, title: str, timeout: float, *, painted: bool = True) -> Shown:
        """The first window titled ``title`` mapped after this watcher started, and (``painted``) the
        moment its contents stop being one flat colour. Raises TimeoutError."""
        fd = self.x.XConnectionNumber(self.dpy)
        deadline = time.monotonic() + timeout
        event = _XEvent()
        while True:
            while self.x.XPending(self.dpy):
                self.x.XNextEvent(self.dpy, ctypes.byref(event))
                if event.type != _MAP_NOTIFY:
                    continue
                mapped = time.time()
                window = event.xmap.window
                if not self.title(window).startswith(title):
                    continue
                if not painted:
                    return Shown(window, mapped, mapped, 0, 0)
                while time.monotonic() < deadline:
                    done, width, height = self._painted(window)
                    if done:
                        return Shown(window, mapped, time.time(), width, height)
                    time.sleep(0.002)
                raise TimeoutError(f"the window {title!r} was mapped but never painted")
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no window {title!r} appeared within {timeout:.0f} s")
            select.select([fd], [], [], min(left, 0.5))

    def windows_titled(self, title: str) -> list[int]:
        """The root's mapped children titled ``title`` right now."""
        return [w for w in self._children() if self.title(w).startswith(title)]

    def _children(self) -> list[int]:
        root_ret, parent_ret = ctypes.c_ulong(), ctypes.c_ulong()
        children = ctypes.POINTER(ctypes.c_ulong)()
        count = ctypes.c_uint()
        self.x.XQueryTree.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)), ctypes.POINTER(ctypes.c_uint),
        ]
        if not self.x.XQueryTree(
            self.dpy, self.root, ctypes.byref(root_ret), ctypes.byref(parent_ret),
            ctypes.byref(children), ctypes.byref(count),
        ):
            return []
        try:
            return [children[i] for i in range(count.value)]
        finally:
            if children:
                self.x.XFree(children)


class Xvfb:
    """A private virtual screen: ``with Xvfb() as display:`` (``display`` is e.g. ``":12"``)."""

    def __init__(self, size: str = "1280x1024x24") -> None:
        self.size = size
        self.process: subprocess.Popen[bytes] | None = None
        self.display = ""

    def __enter__(self) -> str:
        if shutil.which("Xvfb") is None:
            raise RuntimeError("Xvfb is needed (apt-get install xvfb)")
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", self.size, "-nolisten", "tcp", "-noreset"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            self.process.kill()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"
        return self.display

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1]) else 1)
"""


def screenshot(display: str, path: Path) -> Path:
    """The whole screen as a PNG, taken with this environment's Qt (the xcb platform)."""
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    subprocess.run([sys.executable, "-c", GRAB, str(path)], env=env, check=True, timeout=60)
    return path
