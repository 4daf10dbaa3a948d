void close_odd(int fd, int last);
void close_even(int fd, int last);
