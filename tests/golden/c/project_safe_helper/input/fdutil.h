#ifndef FDUTIL_H
#define FDUTIL_H

void move_fd(int from, int to);
void child_failed(const char *what);

#endif
