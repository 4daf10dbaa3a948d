"""The Python engine: libcst finds vfork reached through ctypes and rewrites it
to os.posix_spawn or os.fork, leaving formatting elsewhere byte-identical."""
