#ifndef MSG_H
#define MSG_H

/*
 * busybox's bb_perror_msg() shape: KIND() counts the arguments and PICK()
 * pastes the count's name into the function's, so the preprocessor must
 * expand KIND() before PICK() pastes it.
 */
void msg_simple_note(const char *s);
void msg_note(const char *fmt, const char *arg);

#define ARG3(_0, _1, _2, ...) _2
#define KIND(...) ARG3(__VA_ARGS__, , _simple)
#define PICK(name, kind, ...) msg##kind##name(__VA_ARGS__)
#define MSG(name, kind, ...) PICK(name, kind, __VA_ARGS__)
#define note(...) MSG(_note, KIND(__VA_ARGS__), __VA_ARGS__)

#endif
