import ctypes

libc = ctypes.CDLL(None)
vf = libc.vfork
callbacks = [libc.vfork]
DOC = "never call libc.vfork() from Python"


def not_a_handle(obj):
    return obj.vfork()
