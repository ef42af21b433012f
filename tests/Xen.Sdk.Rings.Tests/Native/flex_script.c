/* Differential oracle for the byte rings (ByteRingWriter/ByteRingReader over the console page): scripted
 * writes and reads executed with Xen's DEFINE_XEN_FLEX_RING helpers (xencons_queued, xencons_write_packet,
 * xencons_read_packet from <xen/io/console.h> with XEN_WANT_FLEX_CONSOLE_RING) on a struct xencons_interface.
 * Input: "B in_start out_start" then ops "w o|i n" (producer writes up to n bytes), "r o|i n" (consumer reads up
 * to n bytes), "E". Output per sequence: "T <trace>" and "M <hex of the page>". */
#include "xen_barriers.h"
#define XEN_WANT_FLEX_CONSOLE_RING
#include <xen/io/console.h>
#include <stdio.h>
#include <stdlib.h>

static struct xencons_interface page;
static char trace[1 << 20];
static size_t tlen;

int main(void) {
    char op;
    static char hex[2 * sizeof page + 1];
    while (scanf(" %c", &op) == 1) {
        unsigned in_start, out_start, wctr = 0;
        if (op != 'B' || scanf("%u %u", &in_start, &out_start) != 2) return 2;
        memset(&page, 0x5A, sizeof page);
        page.in_cons = page.in_prod = in_start;
        page.out_cons = page.out_prod = out_start;
        tlen = 0;
        trace[0] = 0;
        for (;;) {
            char which; unsigned n;
            if (scanf(" %c", &op) != 1) return 2;
            if (op == 'E') break;
            if (scanf(" %c %u", &which, &n) != 2) return 2;
            unsigned char *buf = which == 'o' ? (unsigned char *)page.out : (unsigned char *)page.in;
            RING_IDX size = which == 'o' ? sizeof page.out : sizeof page.in;
            XENCONS_RING_IDX *cons = which == 'o' ? &page.out_cons : &page.in_cons;
            XENCONS_RING_IDX *prod = which == 'o' ? &page.out_prod : &page.in_prod;
            unsigned char data[4096];
            if (op == 'w') {
                RING_IDX free = size - xencons_queued(*prod, *cons, size);
                unsigned k = n < free ? n : free;
                for (unsigned j = 0; j < k; j++) data[j] = (unsigned char)(wctr++ * 29u + 11u);
                RING_IDX mp = xencons_mask(*prod, size);
                if (k) xencons_write_packet(buf, data, k, &mp, xencons_mask(*cons, size), size);
                xen_wmb();
                *prod += k;
                tlen += sprintf(trace + tlen, "w%u ", k);
            } else {
                RING_IDX q = xencons_queued(*prod, *cons, size);
                unsigned k = n < q ? n : q;
                RING_IDX mc = xencons_mask(*cons, size);
                if (k) xencons_read_packet(data, buf, k, xencons_mask(*prod, size), &mc, size);
                uint64_t h = 14695981039346656037ull;
                for (unsigned j = 0; j < k; j++) h = (h ^ data[j]) * 1099511628211ull;
                xen_mb();
                *cons += k;
                tlen += sprintf(trace + tlen, "r%u:%llx ", k, (unsigned long long)h);
            }
        }
        for (size_t i = 0; i < sizeof page; i++) sprintf(hex + 2 * i, "%02x", ((unsigned char *)&page)[i]);
        printf("T %s\nM %s\n", trace, hex);
    }
    return 0;
}
