/* kernel_bench.c — measurements for bench/sample_bench.py (not installed).
 *
 *   kernel_bench terms POINTS PARTICLES EVALUATIONS [METHOD RHO]
 *       Samples PARTICLES particles with EVALUATIONS model evaluations
 *       (Euler on the uniform grid, or METHOD on the grid RHO) over POINTS
 *       data points (x_k = 2.385·sin(1.7k), equal weights) with
 *       fms_sampler_run, and prints the wall and CPU time and the effective
 *       kernel terms (particle × point × evaluation) per second of each.
 *   kernel_bench x1hat POINTS PARTICLES T REPS WINDOW
 *       The kernel alone on one thread (CPU time) at time T, particles
 *       spread evenly over [−3, 3], with the window on (1) or off (0).
 *   kernel_bench euler PARTICLES STEPS SEED NOISE_FILE END_FILE
 *       Writes the starting noise and the Euler end points of the seed
 *       sheet's sampler (velocity parameterisation) as raw doubles, so that
 *       the numpy version can be run on the same inputs and compared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#include <omp.h>

#include "fmsolve.h"

static double thread_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of the whole process (every thread). */
static double process_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* POINTS data points x_k = 2.385·sin(1.7k) with equal weights. */
static fms_data *bench_data(size_t npoints)
{
    const char **labels = malloc(npoints * sizeof *labels);
    char (*names)[24] = malloc(npoints * sizeof *names);
    double *x = malloc(npoints * sizeof *x);
    fms_data *d = NULL;
    if (labels && names && x) {
        for (size_t k = 0; k < npoints; k++) {
            snprintf(names[k], sizeof names[k], "P%zu", k);
            labels[k] = names[k];
            x[k] = 2.385 * sin(1.7 * (double)k);
        }
        if (fms_data_create(&d, npoints, labels, x, NULL, NULL) != FMS_OK)
            d = NULL;
    }
    free(labels);
    free(names);
    free(x);
    return d;
}

static int terms(size_t npoints, long long particles, long long steps, const char *method, double rho)
{
    fms_data *d = bench_data(npoints);
    fms_error err;
    fms_error_clear(&err);
    if (d == NULL) {
        fprintf(stderr, "kernel_bench: cannot make the data\n");
        return 2;
    }
    fms_sample_opts o;
    fms_sampler_opts_init(&o);
    o.particles = particles;
    o.spec.steps = steps;
    o.spec.rho = rho;
    if (fms_sampler_method_parse(method, &o.spec.method) != FMS_OK || o.spec.method == FMS_SAMPLER_ADAPTIVE) {
        fprintf(stderr, "kernel_bench: '%s' is not a fixed-step method\n", method);
        return 2;
    }
    fms_sample_result *r = NULL;
    double t0 = omp_get_wtime(), c0 = process_seconds();
    if (fms_sampler_run(d, &o, &r, &err) != FMS_OK) {
        fprintf(stderr, "kernel_bench: %s\n", err.msg);
        return 2;
    }
    double dt = omp_get_wtime() - t0, cpu = process_seconds() - c0;
    double nterms = (double)particles * (double)steps * (double)npoints;
    printf("points %zu particles %lld evaluations %lld method %s rho %g threads %d seconds %.4f cpu_seconds %.4f "
           "terms %.4g terms_per_second %.4g terms_per_cpu_second %.4g\n",
           npoints, particles, steps, method, rho, omp_get_max_threads(), dt, cpu, nterms, nterms / dt, nterms / cpu);
    fms_sampler_result_free(r);
    fms_data_free(d);
    return 0;
}

/* The kernel alone, in the calling thread: x̂1 of PARTICLES particles spread
 * over [−3, 3] at time T, REPS times. */
static int x1hat(size_t npoints, size_t particles, double t, int reps, int window)
{
    fms_data *d = bench_data(npoints);
    fms_kernel *k = NULL;
    fms_kernel_at *at = NULL;
    double *x = malloc(particles * sizeof *x), *out = malloc(particles * sizeof *out);
    if (!d || !x || !out || fms_kernel_create(d, &k, NULL) != FMS_OK || fms_kernel_at_new(k, &at, NULL) != FMS_OK ||
        fms_kernel_prepare(k, t, at, NULL) != FMS_OK) {
        fprintf(stderr, "kernel_bench: cannot set up the kernel\n");
        return 2;
    }
    fms_kernel_set_window(k, window);
    for (size_t i = 0; i < particles; i++)
        x[i] = -3.0 + 6.0 * (double)i / (double)particles;
    /* CPU time of this thread: steadier than wall time on a shared machine. */
    double t0 = thread_seconds();
    for (int r = 0; r < reps; r++)
        fms_kernel_x1hat_unchecked(k, at, particles, x, out);
    double dt = thread_seconds() - t0;
    double nterms = (double)particles * (double)npoints * reps;
    printf("points %zu particles %zu t %g window %d seconds %.4f terms_per_second %.4g\n", npoints, particles, t,
           window, dt, nterms / dt);
    fms_kernel_at_free(at);
    fms_kernel_free(k);
    fms_data_free(d);
    free(x);
    free(out);
    return 0;
}

static int euler(long long particles, long long steps, unsigned long long seed, const char *noise_path,
                 const char *end_path)
{
    fms_exset *set = NULL;
    fms_error err;
    fms_error_clear(&err);
    fms_kernel *k = NULL;
    if (fms_exset_load_builtin(&set, &err) != FMS_OK || fms_kernel_create(set->data, &k, &err) != FMS_OK) {
        fprintf(stderr, "kernel_bench: %s\n", err.msg);
        return 2;
    }
    size_t n = (size_t)particles;
    double *x = malloc(n * sizeof *x);
    if (x == NULL || fms_sampler_noise(seed, n, x, &err) != FMS_OK) {
        fprintf(stderr, "kernel_bench: cannot draw the noise\n");
        return 2;
    }
    FILE *f = fopen(noise_path, "wb");
    if (!f || fwrite(x, sizeof *x, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "kernel_bench: cannot write %s\n", noise_path);
        return 2;
    }
    fms_status st = FMS_OK;
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t c = 0; c < (n + FMS_SAMPLER_CHUNK - 1) / FMS_SAMPLER_CHUNK; c++) {
        size_t first = c * FMS_SAMPLER_CHUNK, m = n - first < FMS_SAMPLER_CHUNK ? n - first : FMS_SAMPLER_CHUNK;
        fms_sampler_spec spec = { FMS_SAMPLER_EULER, FMS_SAMPLER_VELOCITY, steps, FMS_SAMPLER_DEFAULT_TOL, 1.0 };
        if (fms_sampler_solve(k, &spec, m, x + first, NULL, NULL, NULL) != FMS_OK)
#pragma omp atomic write
            st = FMS_EDOM;
    }
    f = fopen(end_path, "wb");
    if (st != FMS_OK || !f || fwrite(x, sizeof *x, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "kernel_bench: cannot write %s\n", end_path);
        return 2;
    }
    free(x);
    fms_kernel_free(k);
    fms_exset_free(set);
    return 0;
}

int main(int argc, char **argv)
{
    if ((argc == 5 || argc == 7) && strcmp(argv[1], "terms") == 0)
        return terms((size_t)atol(argv[2]), atoll(argv[3]), atoll(argv[4]), argc == 7 ? argv[5] : "euler",
                     argc == 7 ? atof(argv[6]) : 1.0);
    if (argc == 7 && strcmp(argv[1], "x1hat") == 0)
        return x1hat((size_t)atol(argv[2]), (size_t)atol(argv[3]), atof(argv[4]), atoi(argv[5]), atoi(argv[6]));
    if (argc == 7 && strcmp(argv[1], "euler") == 0)
        return euler(atoll(argv[2]), atoll(argv[3]), strtoull(argv[4], NULL, 10), argv[5], argv[6]);
    fputs("usage: kernel_bench terms POINTS PARTICLES EVALUATIONS [METHOD RHO]\n"
          "       kernel_bench x1hat POINTS PARTICLES T REPS WINDOW\n"
          "       kernel_bench euler PARTICLES STEPS SEED NOISE_FILE END_FILE\n", stderr);
    return 2;
}
