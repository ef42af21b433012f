/* Live interop peer: a frontend or a backend written with Xen's io/ring.h macros, sharing a memory-mapped
 * file with the C# side. Usage: ring_peer front|back FILE BYTES COUNT
 * Requests carry seq and 56 payload bytes derived from seq; each response echoes seq and a checksum of the
 * request. Both sides check every message: nothing lost, duplicated, reordered or corrupted.
 * Polls (no event channel): spins, then sched_yield. Exit 0 on success, 1 with a message on a mismatch. */
#include "xen_barriers.h"
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

struct msg_req { uint64_t seq; uint8_t payload[56]; };
struct msg_rsp { uint64_t seq; uint64_t sum; };
DEFINE_RING_TYPES(msg, struct msg_req, struct msg_rsp);

static void make_req(struct msg_req *r, uint64_t seq) {
    r->seq = seq;
    for (int j = 0; j < 56; j++) r->payload[j] = (uint8_t)(seq * 13 + j * 5 + (seq >> 8));
}
static uint64_t req_sum(const struct msg_req *r) {
    uint64_t h = r->seq * 0x9E3779B97F4A7C15ull;
    for (int j = 0; j < 56; j++) h = (h ^ r->payload[j]) * 1099511628211ull;
    return h;
}
static unsigned long long notifies;
static void relax(unsigned *spins) { if (++*spins > 64) { sched_yield(); *spins = 0; } }

int main(int argc, char **argv) {
    if (argc != 5) return 2;
    int front = argv[1][0] == 'f';
    size_t bytes = strtoull(argv[3], 0, 0);
    uint64_t count = strtoull(argv[4], 0, 0);
    int fd = open(argv[2], O_RDWR);
    if (fd < 0) { perror("open"); return 2; }
    msg_sring_t *s = mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (s == MAP_FAILED) { perror("mmap"); return 2; }
    unsigned spins = 0;
    if (front) {
        msg_front_ring_t f;
        FRONT_RING_INIT(&f, s, bytes);          /* the C# side ran SHARED_RING_INIT */
        uint64_t sent = 0, got = 0;
        while (got < count) {
            int progress = 0, notify;
            while (sent < count && !RING_FULL(&f)) {
                make_req(RING_GET_REQUEST(&f, f.req_prod_pvt), sent++);
                f.req_prod_pvt++;
                progress = 1;
            }
            if (progress) { RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify); notifies += notify; }
            RING_IDX rp = f.sring->rsp_prod;
            xen_rmb(); /* responses are read only after rsp_prod */
            if (RING_RESPONSE_PROD_OVERFLOW(&f, rp)) { fprintf(stderr, "backend overflow\n"); return 1; }
            while (f.rsp_cons != rp) {
                struct msg_rsp r; struct msg_req q;
                RING_COPY_RESPONSE(&f, f.rsp_cons, &r);
                f.rsp_cons++;
                make_req(&q, got);
                if (r.seq != got || r.sum != req_sum(&q)) {
                    fprintf(stderr, "response %llu: got seq %llu sum %llx\n", (unsigned long long)got,
                            (unsigned long long)r.seq, (unsigned long long)r.sum);
                    return 1;
                }
                got++;
                progress = 1;
            }
            if (!progress) relax(&spins);
        }
    } else {
        msg_back_ring_t b;
        BACK_RING_INIT(&b, s, bytes);
        uint64_t got = 0;
        while (got < count) {
            int more, notify;
            RING_FINAL_CHECK_FOR_REQUESTS(&b, more);
            if (!more) { relax(&spins); continue; }
            RING_IDX rp = b.sring->req_prod;
            xen_rmb(); /* requests are read only after req_prod */
            if (RING_REQUEST_PROD_OVERFLOW(&b, rp)) { fprintf(stderr, "frontend overflow\n"); return 1; }
            while (b.req_cons != rp && !RING_REQUEST_CONS_OVERFLOW(&b, b.req_cons)) {
                struct msg_req q, expect;
                RING_COPY_REQUEST(&b, b.req_cons, &q);
                b.req_cons++;
                make_req(&expect, got);
                if (memcmp(&q, &expect, sizeof q) != 0) {
                    fprintf(stderr, "request %llu: got seq %llu\n", (unsigned long long)got, (unsigned long long)q.seq);
                    return 1;
                }
                struct msg_rsp *r = RING_GET_RESPONSE(&b, b.rsp_prod_pvt);
                r->seq = q.seq;
                r->sum = req_sum(&q);
                b.rsp_prod_pvt++;
                got++;
            }
            RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, notify);
            notifies += notify;
        }
    }
    printf("ok %llu notifies %llu\n", (unsigned long long)count, notifies);
    return 0;
}
