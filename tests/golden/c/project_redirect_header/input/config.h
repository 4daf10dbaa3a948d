/* config.h: written by hand for this port */
#ifndef CONFIG_H
#define CONFIG_H

#define HAVE_UNISTD_H 1
#define fork vfork

#endif
