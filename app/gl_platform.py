"""Which OpenGL the 3D view can use: decided once, before anything imports PyOpenGL.

PyOpenGL picks its window-system API (GLX or EGL) when ``OpenGL.platform`` is first imported, from
``PYOPENGL_PLATFORM`` or a guess from ``XDG_SESSION_TYPE``/``WAYLAND_DISPLAY``/``DISPLAY``.  Qt picks its own:
GLX on X11 when the server has the GLX extension, EGL on Wayland or on an X server without GLX, or as
``QT_XCB_GL_INTEGRATION`` says.  When the two differ, every PyOpenGL call that needs the current context fails
and the 3D view stays blank.  So GateLab asks the GL libraries which of them holds the context Qt made current,
and sets ``PYOPENGL_PLATFORM`` to match, whatever the environment said.

PySide6 does not wrap ``QOpenGLContext::nativeInterface<QGLXContext/QEGLContext>()``, so the question goes to
``glXGetCurrentContext`` and ``eglGetCurrentContext`` (through ctypes) while Qt's context is current.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)

# Qt platform plugins that cannot make an OpenGL context at all.
NO_GL_PLATFORMS = ("minimal", "linuxfb")
# The platforms GateLab runs on.  Qt aborts (qFatal) on a plugin it cannot find or load, and eglfs, minimalegl
# and vnc cannot give the 3D view a window of its own beside the widgets: all are refused in one line first.
DESKTOP_PLATFORMS = ("", "xcb", "wayland", "wayland-egl", "offscreen")
APIS = ("glx", "egl")
PYOPENGL_CLASSES = {"GLXPlatform": "glx", "EGLPlatform": "egl"}  # OpenGL.platform.PLATFORM's class -> API

_chosen: str | None = None


class StartupError(RuntimeError):
    """GateLab cannot run here (no display, no OpenGL); the message is one sentence for the user."""


def qt_platform_name(env=None) -> str:
    """The first platform plugin ``QT_QPA_PLATFORM`` names ("xcb" of "xcb:arg;wayland"), "" when unset."""
    env = os.environ if env is None else env
    first = env.get("QT_QPA_PLATFORM", "").split(";")[0]
    return first.split(":")[0].strip().lower()


_held = []  # (libxcb, connection) of check_display, until release_display()


def _x_display_opens(display: str) -> bool:
    """Whether an X connection to ``display`` can be made (libxcb, which Qt's xcb plugin uses); True when
    libxcb cannot be loaded, so that Qt gives its own message.  A connection made is held until
    release_display(): an X server resets when its last client leaves (Xvfb does, by default), and Qt's own
    connection, made a moment later, would then be refused."""
    name = ctypes.util.find_library("xcb")
    if name is None:
        return True
    try:
        xcb = ctypes.CDLL(name)
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    if xcb.xcb_connection_has_error(connection):
        xcb.xcb_disconnect(connection)  # frees a connection in the error state too
        return False
    _held.append((xcb, connection))
    return True


def release_display() -> None:
    """Close check_display's connection; call once the QApplication has its own."""
    while _held:
        xcb, connection = _held.pop()
        xcb.xcb_disconnect(connection)


def _wayland_socket(env) -> bool:
    name = env.get("WAYLAND_DISPLAY", "wayland-0")
    path = Path(name) if name.startswith("/") else Path(env.get("XDG_RUNTIME_DIR", "/nonexistent")) / name
    return path.exists()


def check_display(env=None) -> None:
    """Before the QApplication exists: raise StartupError when the Qt platform named (or Qt's default on Linux,
    Wayland or X11) has no display to open, or no OpenGL at all; Qt would abort or crash there."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return
    name = qt_platform_name(env)
    if name in NO_GL_PLATFORMS:
        raise StartupError(f"the Qt platform '{name}' (QT_QPA_PLATFORM) has no OpenGL, which the 3D view needs; "
                           "unset QT_QPA_PLATFORM or set it to xcb or wayland")
    if name not in DESKTOP_PLATFORMS:
        raise StartupError(f"GateLab does not run on the Qt platform '{name}' (QT_QPA_PLATFORM); "
                           "unset QT_QPA_PLATFORM or set it to xcb or wayland")
    display = env.get("DISPLAY", "")
    if name == "" and _wayland_socket(env) and "WAYLAND_DISPLAY" in env:
        return
    if name in ("", "xcb"):
        if not display:
            raise StartupError("no display: DISPLAY is not set (run GateLab in a desktop session, "
                               "or under xvfb-run for a virtual display)")
        if not _x_display_opens(display):
            raise StartupError(f"cannot connect to the X display {display!r} (DISPLAY)")
    elif name == "wayland" and not _wayland_socket(env):
        raise StartupError("no Wayland display: WAYLAND_DISPLAY names no socket (QT_QPA_PLATFORM=wayland)")


def _current(library: str, function: str) -> bool:
    """Whether ``function`` (glXGetCurrentContext or eglGetCurrentContext) of ``library`` returns a context."""
    try:
        get = getattr(ctypes.CDLL(library), function)
    except (OSError, AttributeError):
        return False
    get.restype = ctypes.c_void_p
    get.argtypes = []
    return bool(get())


def current_api() -> str | None:
    """"glx" or "egl": which window-system API holds this thread's current OpenGL context; None if neither."""
    if _current("libGLX.so.0", "glXGetCurrentContext") or _current("libGL.so.1", "glXGetCurrentContext"):
        return "glx"
    if _current("libEGL.so.1", "eglGetCurrentContext"):
        return "egl"
    return None


def probe_qt_context() -> str:
    """Make a QOpenGLContext current on a QOffscreenSurface (a QGuiApplication must exist) and say which API
    it uses, "glx" or "egl".  Raises StartupError if Qt cannot make one."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication, QOffscreenSurface, QOpenGLContext

    translate = QCoreApplication.translate  # the QApplication exists: its language is installed (i18n.py)
    platform = QGuiApplication.platformName()
    no_gl = StartupError(translate("StartupError", "no OpenGL: Qt's '{platform}' platform could not make an OpenGL "
                                   "context for the 3D view (a desktop session with OpenGL, or Mesa's libGL under "
                                   "Xvfb, is needed)").format(platform=platform))
    context = QOpenGLContext()
    if not context.create():
        raise no_gl
    surface = QOffscreenSurface()
    surface.setFormat(context.format())
    surface.create()
    try:
        if not surface.isValid() or not context.makeCurrent(surface):
            raise no_gl
        api = current_api()
        context.doneCurrent()
    finally:
        surface.destroy()
    if api is None:
        raise StartupError(translate("StartupError", "Qt's '{platform}' platform made an OpenGL context through "
                                     "neither GLX nor EGL, which the 3D view (PyOpenGL) cannot draw with").format(
            platform=platform))
    return api


def pyopengl_api() -> str | None:
    """The API PyOpenGL was loaded for ("glx", "egl", other names as they are), None if not loaded yet."""
    platform = sys.modules.get("OpenGL.platform")
    if platform is None or getattr(platform, "PLATFORM", None) is None:
        return None
    name = type(platform.PLATFORM).__name__
    return PYOPENGL_CLASSES.get(name, name)


def choose_pyopengl_platform() -> str | None:
    """Once per process, after the QApplication exists and before PyOpenGL is imported: set PYOPENGL_PLATFORM
    to the API of Qt's OpenGL context.  Returns that API ("glx" or "egl"; None off Linux, where PyOpenGL has
    one choice).  Raises StartupError when Qt has no OpenGL, or when PyOpenGL was already loaded for the other
    API (nothing can switch it then)."""
    global _chosen
    if _chosen is not None or not sys.platform.startswith("linux"):
        return _chosen
    api = probe_qt_context()
    loaded = pyopengl_api()
    if loaded is None:
        asked = os.environ.get("PYOPENGL_PLATFORM")
        if asked and asked != api:
            log.info("PYOPENGL_PLATFORM=%s ignored: Qt's OpenGL context uses %s", asked, api)
        os.environ["PYOPENGL_PLATFORM"] = api
    elif loaded != api:
        from PySide6.QtCore import QCoreApplication

        raise StartupError(QCoreApplication.translate(
            "StartupError", "PyOpenGL was loaded for {loaded} before Qt's OpenGL ({api}) was known; start GateLab "
            "with PYOPENGL_PLATFORM={key}").format(loaded=loaded.upper(), api=api.upper(), key=api))
    log.debug("Qt's OpenGL context uses %s; PyOpenGL follows", api)
    _chosen = api
    return api
