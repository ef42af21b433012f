/* Differential oracle for Xen.Sdk.Rings FrontRing/BackRing: executes scripted operation sequences with Xen's
 * own io/ring.h macros (DEFINE_RING_TYPES, XEN_FRONT_RING_INIT, RING_PUSH_*_AND_CHECK_NOTIFY, ...) and prints a
 * trace of every returned value plus a hex image of the shared pages.
 *
 * Input (stdin), one token stream:
 *   B type pages start   begin: ring type 0..2, size in 4 KiB pages, start index of all four indices
 *   p n  front produce up to n requests      P  front push-and-check-notify   q  front push
 *   c n  back consume up to n requests       r n  back respond up to n        R  back push-and-check-notify
 *   s    back push                           d n  front consume up to n responses
 *   F    front final check for responses     G  back final check for requests
 *   E    end: print "T <trace>" and "M <hex>"
 */
#include "xen_barriers.h"
#include <stdio.h>
#include <stdlib.h>

struct req0 { uint64_t id; uint8_t data[56]; };
struct rsp0 { uint64_t id; int16_t status; uint8_t pad[6]; };
struct req1 { uint8_t b[12]; };
struct rsp1 { uint64_t x; };
struct req2 { uint32_t a[3]; };
struct rsp2 { uint16_t s; };
DEFINE_RING_TYPES(t0, struct req0, struct rsp0);
DEFINE_RING_TYPES(t1, struct req1, struct rsp1);
DEFINE_RING_TYPES(t2, struct req2, struct rsp2);

static unsigned char page[4 * 4096] __attribute__((aligned(4096)));
static char trace[1 << 20];
static size_t tlen;

static void tr(const char *fmt, unsigned long long v) { tlen += sprintf(trace + tlen, fmt, v); }
static void fill(void *p, size_t n, uint32_t ctr) {
    unsigned char *b = p;
    for (size_t j = 0; j < n; j++) b[j] = (unsigned char)(ctr * 31u + j * 7u + 1u);
}
static uint64_t hash(const void *p, size_t n, uint64_t h) {
    const unsigned char *b = p;
    for (size_t j = 0; j < n; j++) h = (h ^ b[j]) * 1099511628211ull;
    return h;
}

#define RUN(T, REQ, RSP)                                                                   \
    do {                                                                                   \
        T##_sring_t *s = (T##_sring_t *)page;                                              \
        T##_front_ring_t f; T##_back_ring_t b;                                             \
        SHARED_RING_INIT(s);                                                               \
        FRONT_RING_ATTACH(&f, s, start, bytes);                                            \
        BACK_RING_ATTACH(&b, s, start, bytes);                                             \
        s->req_prod = s->rsp_prod = start; s->req_event = s->rsp_event = start + 1;        \
        uint32_t qctr = 0, sctr = 0;                                                       \
        tr("S%llu ", f.nr_ents);                                                           \
        for (;;) {                                                                         \
            char op; unsigned n = 0; int notify; unsigned k; uint64_t h;                   \
            if (scanf(" %c", &op) != 1) exit(2);                                           \
            if (op == 'p' || op == 'c' || op == 'r' || op == 'd') if (scanf("%u", &n) != 1) exit(2); \
            switch (op) {                                                                  \
            case 'p': for (k = 0; k < n && !RING_FULL(&f); k++) {                          \
                          REQ q; fill(&q, sizeof q, qctr++);                               \
                          *RING_GET_REQUEST(&f, f.req_prod_pvt) = q; f.req_prod_pvt++; }   \
                      tr("p%llu ", k); break;                                              \
            case 'P': RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify); tr("P%llu ", notify); break; \
            case 'q': RING_PUSH_REQUESTS(&f); tr("q ", 0); break;                          \
            case 'c': h = 14695981039346656037ull;                                         \
                      for (k = 0; k < n && RING_HAS_UNCONSUMED_REQUESTS(&b); k++) {        \
                          REQ q; RING_COPY_REQUEST(&b, b.req_cons, &q); b.req_cons++;      \
                          h = hash(&q, sizeof q, h); }                                     \
                      tr("c%llu:", k); tr("%llx ", h); break;                              \
            case 'r': for (k = 0; k < n && b.rsp_prod_pvt != b.req_cons; k++) {            \
                          RSP r; fill(&r, sizeof r, 0x80000000u + sctr++);                 \
                          *RING_GET_RESPONSE(&b, b.rsp_prod_pvt) = r; b.rsp_prod_pvt++; }  \
                      tr("r%llu ", k); break;                                              \
            case 'R': RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, notify); tr("R%llu ", notify); break; \
            case 's': RING_PUSH_RESPONSES(&b); tr("s ", 0); break;                         \
            case 'd': h = 14695981039346656037ull;                                         \
                      for (k = 0; k < n && RING_HAS_UNCONSUMED_RESPONSES(&f); k++) {       \
                          RSP r; RING_COPY_RESPONSE(&f, f.rsp_cons, &r); f.rsp_cons++;     \
                          h = hash(&r, sizeof r, h); }                                     \
                      tr("d%llu:", k); tr("%llx ", h); break;                              \
            case 'F': RING_FINAL_CHECK_FOR_RESPONSES(&f, notify); tr("F%llu ", !!notify); break; \
            case 'G': RING_FINAL_CHECK_FOR_REQUESTS(&b, notify); tr("G%llu ", !!notify); break; \
            case 'E': tr("I%llu,", f.req_prod_pvt); tr("%llu,", f.rsp_cons);               \
                      tr("%llu,", b.rsp_prod_pvt); tr("%llu", b.req_cons); goto done;      \
            default: exit(3);                                                              \
            }                                                                              \
        }                                                                                  \
    } while (0)

int main(void) {
    static char hex[2 * sizeof page + 1];
    char op;
    while (scanf(" %c", &op) == 1) {
        unsigned type, pages, start;
        if (op != 'B' || scanf("%u %u %u", &type, &pages, &start) != 3) return 2;
        size_t bytes = (size_t)pages * 4096;
        memset(page, 0xA5, sizeof page);
        tlen = 0;
        switch (type) {
        case 0: RUN(t0, struct req0, struct rsp0); break;
        case 1: RUN(t1, struct req1, struct rsp1); break;
        default: RUN(t2, struct req2, struct rsp2); break;
        }
    done:
        for (size_t i = 0; i < bytes; i++) sprintf(hex + 2 * i, "%02x", page[i]);
        printf("T %s\nM %s\n", trace, hex);
    }
    return 0;
}
