#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOTOK	(-1)
#define OK	0
#define MAXARGS	16

/*
 * MH style: the argument vector is a local of the function that only the
 * child fills in, and the child walks the caller's list with the
 * parameter itself.  The parent never looks at either again.
 */
int
showfile (arg, file)
register char **arg,
	       *file;
{
    int     pid,
	    status;
    register int    vecp;
    char   *vec[MAXARGS];

    (void) fflush (stdout);

    switch (pid = fork ()) {
	case NOTOK:
	    perror ("vfork");
	    return 1;

	case OK:
	    vecp = 0;
	    vec[vecp++] = "echo";
	    if (arg)
		while (*arg)
		    vec[vecp++] = *arg++;
	    vec[vecp++] = file;
	    vec[vecp] = NULL;

	    execvp ("/bin/echo", vec);
	    fprintf (stderr, "unable to exec ");
	    perror ("/bin/echo");
	    _exit (-1);

	default:
	    if (waitpid (pid, &status, 0) != pid)
		return 1;
	    return WEXITSTATUS (status);
    }
}

int
main (void)
{
    char   *args[3];

    args[0] = "-n";
    args[1] = "shown:";
    args[2] = NULL;
    printf ("status %d\n", showfile (args, "draft"));
    printf ("after %s %s\n", args[0], args[1]);
    return 0;
}
