import ctypes
libc = ctypes.CDLL(None)
pid = libc.vfork()
if pid == 0:
    print "child"
