void fail(const char *what);
