/* C baseline for the Xen.Sdk.Rings benchmarks: the same workloads driven by Xen's own io/ring.h macros
 * (gcc -O2). Built as a shared library by RingBenchmarks (GlobalSetup) and called through P/Invoke, so both
 * are measured in the same BenchmarkDotNet run.
 *   xr_spsc(n):     frontend thread (caller) sends n 64-byte requests; a backend thread consumes each and
 *                   answers with an 8-byte response; returns the sum of all sequence numbers seen by the backend.
 *   xr_pingpong(n): one request, wait for its response, n times.
 * Polling only (no event channel); spin (PAUSE), then sched_yield, exactly like the C# side.
 * Both sides validate the peer's producer index once per batch with Xen's own RING_REQUEST_PROD_OVERFLOW /
 * RING_RESPONSE_PROD_OVERFLOW, as hardened Linux backends and frontends do (blkback; blkfront and netfront since
 * XSA-376): the C# ring always validates (it is built to survive a hostile peer), so a C side that trusts the
 * peer would not be the same workload.
 * The response is ~seq, not seq: it reuses the request's slot, and storing back the value just read from
 * the same address is a store gcc -O2 deletes (the backend then wrote no responses at all). */
#define _GNU_SOURCE
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <stdlib.h>
#include <pthread.h>
#include <sched.h>
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#include <xen/xen.h>
#include <xen/io/ring.h>

struct b_req { uint64_t seq; uint8_t payload[56]; };
struct b_rsp { uint64_t seq; };
DEFINE_RING_TYPES(b, struct b_req, struct b_rsp);

#define RING_BYTES (8 * 4096)
#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))

struct job { b_sring_t *s; long n; uint64_t sum; };

/* After a pass that found nothing: one PAUSE (C#: X86Base.Pause()), so that 100 spins last about as long in
 * both languages whatever one poll costs, and every 100 spins a sched_yield (C#: Thread.Yield). */
/* Thread placement, the same on both sides: the frontend (calling) thread on CPU 0, the backend on CPU 1 (C#:
 * RingWorkload.Pin, sched_setaffinity on the calling thread). Left to the scheduler, a new thread often
 * starts on its creator's core and every hand-off then waits for a yield; the two runtimes create threads
 * differently, so placement luck, not the ring code, decided many runs. The frontend's old mask is restored. */
static int pin(int cpu, cpu_set_t *old) {
    cpu_set_t set;
    if (old && sched_getaffinity(0, sizeof *old, old) != 0) return -1;
    CPU_ZERO(&set); CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set);
}

static void relax(unsigned *spins) { __builtin_ia32_pause(); if (++*spins > 100) { sched_yield(); *spins = 0; } }

static void *backend(void *arg) {
    struct job *j = arg;
    pin(1, 0);
    b_back_ring_t b;
    BACK_RING_ATTACH(&b, j->s, 0, RING_BYTES);
    long got = 0;
    unsigned spins = 0;
    uint64_t sum = 0;
    while (got < j->n) {
        RING_IDX rp = READ_ONCE(b.sring->req_prod);
        if (RING_REQUEST_PROD_OVERFLOW(&b, rp)) abort(); /* hostile frontend: disconnect (as blkback does) */
        xen_rmb(); /* requests are read after req_prod */
        if (b.req_cons == rp) { relax(&spins); continue; }
        while (b.req_cons != rp) {
            struct b_req q;
            RING_COPY_REQUEST(&b, b.req_cons, &q);
            b.req_cons++;
            sum += q.seq;
            RING_GET_RESPONSE(&b, b.rsp_prod_pvt)->seq = ~q.seq;
            b.rsp_prod_pvt++;
            got++;
        }
        RING_PUSH_RESPONSES(&b);
    }
    j->sum = sum;
    return 0;
}

static long run(long n, int pingpong) {
    b_sring_t *s = aligned_alloc(4096, RING_BYTES);
    b_front_ring_t f;
    SHARED_RING_INIT(s);
    FRONT_RING_INIT(&f, s, RING_BYTES);
    struct job j = { s, n, 0 };
    pthread_t t;
    cpu_set_t old;
    int pinned = pin(0, &old) == 0;
    pthread_create(&t, 0, backend, &j);
    long sent = 0, got = 0;
    unsigned spins = 0;
    while (got < n) {
        int progress = 0;
        long limit = pingpong ? got + 1 : n;
        while (sent < limit && !RING_FULL(&f)) {
            struct b_req *q = RING_GET_REQUEST(&f, f.req_prod_pvt);
            q->seq = (uint64_t)sent;
            memset(q->payload, (int)sent, sizeof q->payload);
            f.req_prod_pvt++;
            sent++;
            progress = 1;
        }
        if (progress) RING_PUSH_REQUESTS(&f);
        RING_IDX rp = READ_ONCE(f.sring->rsp_prod);
        if (RING_RESPONSE_PROD_OVERFLOW(&f, rp)) abort(); /* hostile backend: disconnect (as blkfront does) */
        xen_rmb(); /* responses are read after rsp_prod */
        while (f.rsp_cons != rp) {
            struct b_rsp r;
            RING_COPY_RESPONSE(&f, f.rsp_cons, &r);
            f.rsp_cons++;
            if (r.seq != ~(uint64_t)got) abort();
            got++;
            progress = 1;
        }
        if (!progress) relax(&spins);
    }
    pthread_join(t, 0);
    if (pinned) sched_setaffinity(0, sizeof old, &old);
    free(s);
    return (long)j.sum;
}

long xr_spsc(long n) { return run(n, 0); }
long xr_pingpong(long n) { return run(n, 1); }

/* xr_onethread(n): the same request/response cycle on one thread (fill the ring, consume every request and
 * answer it, consume every response): the per-message cost of the macros without any cross-core traffic. */
long xr_onethread(long n) {
    b_sring_t *s = aligned_alloc(4096, RING_BYTES);
    b_front_ring_t f;
    b_back_ring_t b;
    SHARED_RING_INIT(s);
    FRONT_RING_INIT(&f, s, RING_BYTES);
    BACK_RING_INIT(&b, s, RING_BYTES);
    long sent = 0, got = 0;
    uint64_t sum = 0;
    while (got < n) {
        while (sent < n && !RING_FULL(&f)) {
            struct b_req *q = RING_GET_REQUEST(&f, f.req_prod_pvt);
            q->seq = (uint64_t)sent;
            memset(q->payload, (int)sent, sizeof q->payload);
            f.req_prod_pvt++;
            sent++;
        }
        RING_PUSH_REQUESTS(&f);
        RING_IDX rp = READ_ONCE(b.sring->req_prod);
        if (RING_REQUEST_PROD_OVERFLOW(&b, rp)) abort(); /* hostile frontend: disconnect (as blkback does) */
        xen_rmb();
        while (b.req_cons != rp) {
            struct b_req q;
            RING_COPY_REQUEST(&b, b.req_cons, &q);
            b.req_cons++;
            sum += q.seq;
            RING_GET_RESPONSE(&b, b.rsp_prod_pvt)->seq = ~q.seq;
            b.rsp_prod_pvt++;
        }
        RING_PUSH_RESPONSES(&b);
        rp = READ_ONCE(f.sring->rsp_prod);
        if (RING_RESPONSE_PROD_OVERFLOW(&f, rp)) abort(); /* hostile backend: disconnect (as blkfront does) */
        xen_rmb();
        while (f.rsp_cons != rp) {
            struct b_rsp r;
            RING_COPY_RESPONSE(&f, f.rsp_cons, &r);
            f.rsp_cons++;
            if (r.seq != ~(uint64_t)got) abort();
            got++;
        }
    }
    free(s);
    return (long)sum;
}
