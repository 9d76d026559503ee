/*
 * silent_listener.c -- a TCP server on 127.0.0.1 that accepts connections
 * and never answers: what a PostgreSQL (or WFS) server looks like when it
 * hangs.  For the bad-input cases that check ccgis does not wait forever.
 *
 * usage: silent_listener PORTFILE [SECONDS]
 *   Listens on 127.0.0.1 on a free port, writes the port number to PORTFILE
 *   once it listens, accepts every connection and keeps it open without
 *   reading or writing, and exits after SECONDS (default 60) -- so that a
 *   test that forgets it cannot leave it behind for long.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: silent_listener PORTFILE [SECONDS]\n");
        return 2;
    }
    unsigned seconds = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 60;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* 127.0.0.1 only */
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 16) != 0 ||
        getsockname(s, (struct sockaddr *)&a, &len) != 0) {
        perror("silent_listener");
        return 1;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *f = fopen(tmp, "w");
    if (!f || fprintf(f, "%d\n", ntohs(a.sin_port)) < 0 || fclose(f) != 0 ||
        rename(tmp, argv[1]) != 0) {
        perror("silent_listener");
        return 1;
    }
    alarm(seconds); /* SIGALRM's default action ends the process */
    for (;;) {
        int c = accept(s, NULL, NULL);
        (void)c; /* kept open, never read nor written */
    }
}
