/* Streaming-read bandwidth in plain C: the reference the C# probe (src/Edge.Diagnostics/Machine/MemoryBandwidth.cs)
 * is checked against. Each thread sums its share of a 1 GiB float buffer, as 1, 4, 8 and 16 interleaved streams;
 * the best pass of each variant is printed, and the best over variants, in 10^9 bytes/s.
 *   gcc -O3 -march=native -pthread bench/c/membw.c -o membw && ./membw [threads] [passes]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BYTES (1L << 30)

static float *buf;
static long share;
static int variant;
static pthread_barrier_t start, stop;
static volatile float sink;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static float sum_streams(const float *a, long n, int streams)
{
    long part = n / streams;
    float acc[16][16] = {{0}};
    for (long i = 0; i + 16 <= part; i += 16)
        for (int s = 0; s < streams; s++)
            for (int k = 0; k < 16; k++) acc[s][k] += a[s * part + i + k];
    float t = 0;
    for (int s = 0; s < streams; s++) for (int k = 0; k < 16; k++) t += acc[s][k];
    return t;
}

static float run(const float *a, long n)
{
    switch (variant) {
    case 0: return sum_streams(a, n, 1);
    case 1: return sum_streams(a, n, 4);
    case 2: return sum_streams(a, n, 8);
    default: return sum_streams(a, n, 16);
    }
}

static void *worker(void *arg)
{
    long t = (long)arg;
    pthread_barrier_wait(&start);
    sink += run(buf + t * share, share);
    pthread_barrier_wait(&stop);
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1, passes = argc > 2 ? atoi(argv[2]) : 5;
    long n = BYTES / 4;
    buf = aligned_alloc(64, BYTES);
    for (long i = 0; i < n; i++) buf[i] = (float)(i & 1023);
    share = n / threads / 128 * 128;
    const char *names[] = {"1 stream", "4 streams", "8 streams", "16 streams"};
    double best = 0;
    for (variant = 0; variant < 4; variant++) {
        double vb = 0;
        for (int p = 0; p < passes; p++) {
            pthread_t th[256];
            pthread_barrier_init(&start, NULL, threads + 1);
            pthread_barrier_init(&stop, NULL, threads + 1);
            for (long t = 0; t < threads; t++) pthread_create(&th[t], NULL, worker, (void *)t);
            pthread_barrier_wait(&start);
            double t0 = now();
            pthread_barrier_wait(&stop);
            double s = now() - t0;
            for (int t = 0; t < threads; t++) pthread_join(th[t], NULL);
            pthread_barrier_destroy(&start);
            pthread_barrier_destroy(&stop);
            double r = (double)share * threads * 4 / s / 1e9;
            if (r > vb) vb = r;
        }
        printf("%-10s %6.2f GB/s\n", names[variant], vb);
        if (vb > best) best = vb;
    }
    printf("best       %6.2f GB/s on %d thread%s\n", best, threads, threads == 1 ? "" : "s");
    return 0;
}
