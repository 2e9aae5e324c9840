/* fuzz_replay.c — feeds every file of a directory (the fuzz corpus) through
 * the fuzz harness's entry point once, so that the default test suite (gcc,
 * and the sanitizer build) checks every input that ever mattered to the
 * fuzzer.  Usage: fuzz_replay DIR.  Exits 1 when DIR cannot be read. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fuzz_replay DIR\n");
        return 2;
    }
    DIR *dir = opendir(argv[1]);
    if (dir == NULL) {
        perror(argv[1]);
        return 1;
    }
    int n = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], de->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        FILE *f = fopen(path, "rb");
        if (f == NULL) {
            perror(path);
            closedir(dir);
            return 1;
        }
        size_t cap = (size_t)st.st_size + 1, len;
        uint8_t *buf = malloc(cap);
        if (buf == NULL) {
            fclose(f);
            closedir(dir);
            return 1;
        }
        len = fread(buf, 1, cap, f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
        n++;
    }
    closedir(dir);
    printf("replayed %d inputs from %s\n", n, argv[1]);
    return n > 0 ? 0 : 1;
}
