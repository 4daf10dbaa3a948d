#ifndef JOBS_H
#define JOBS_H

extern int children_started;
void note_start(void);

#endif
