import ctypes
import ctypes as C
from ctypes import cdll


def by_loader_attribute():
    libc = ctypes.cdll.msvcrt
    return libc.vfork()


def by_loader_item():
    libc = cdll["libc.so.6"]
    libc.vfork()


def by_alias_module():
    pid = C.CDLL(None).vfork()
    if pid == 0:
        os_exit = 1
        ctypes.memset(0, 0, 0)
    return pid


def a_parameter(libc):
    return libc.vfork()


def shadowed():
    ctypes = object()
    return ctypes.CDLL(None).vfork()
