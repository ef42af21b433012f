/* Byte-image oracle for TwoLevelEventChannels and GrantTableV1: scripted guest/hypervisor operations on the
 * real header types (struct shared_info / struct vcpu_info from <xen/xen.h>, grant_entry_v1_t and the GTF_*
 * macros from <xen/grant_table.h>), with the algorithms of Xen's evtchn_2l_set_pending/evtchn_2l_unmask,
 * Linux's 2-level upcall scan and Xen's _set_status_v1 / Linux's gnttab_end_foreign_access_ref_v1 written
 * with gcc atomics. Prints a trace and the hex image of shared_info and of an 8-entry grant table.
 * Built for x86_64 and, with -m32, for the x86_32 ABI (xen_ulong_t 32 bits: 1024 ports, 32-bit selector).
 * Input per sequence: ops, then 'E'. Ops: S port | M port | U port | L port (guest local unmask) | C n (consume)
 *   | g ref dom frame ro | m ref dom ro | e ref | r ref wr last
 * Page transfers on v1 (grant_entry_v1_t.frame) and v2 entries (grant_entry_v2_t.full_page.frame), v = 1 or 2,
 * following Xen's gnttab_prepare_for_transfer / gnttab_transfer and Linux's gnttab_end_foreign_transfer_ref
 * (without its spin: committed-but-not-completed reports "in progress"):
 *   T v ref dom (guest offers) | c v ref dom (xen commits) | f v ref frame (xen completes) | x v ref (guest ends) */
#include "xen_barriers.h"
#include <stdio.h>

static struct shared_info si;
static grant_entry_v1_t gt[8];
static grant_entry_v2_t gt2[8];

/* The transfer header word (flags | domid << 16) of entry r of table v, or 0 when r is out of range. */
static uint32_t *hdr(unsigned v, unsigned r) { return r >= 8 ? 0 : v == 1 ? (uint32_t *)&gt[r] : (uint32_t *)&gt2[r].hdr; }
#define BITS (sizeof(xen_ulong_t) * 8)
/* 4096 ports on x86_64 (64 words of 64 bits); 1024 with -m32, where xen_ulong_t is 32 bits (32 x 32). */
#define NPORTS (sizeof si.evtchn_pending * 8)

static int tas(xen_ulong_t *w, unsigned b) { return (__atomic_fetch_or(w, 1UL << b, __ATOMIC_SEQ_CST) >> b) & 1; }
static int tac(xen_ulong_t *w, unsigned b) { return (__atomic_fetch_and(w, ~(1UL << b), __ATOMIC_SEQ_CST) >> b) & 1; }
static int mark(struct vcpu_info *v) { return __atomic_exchange_n(&v->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST) == 0; }

int main(void) {
    char op;
    static char hex[2 * (sizeof si + sizeof gt + sizeof gt2) + 1];
    memset(&si, 0, sizeof si);
    memset(gt, 0, sizeof gt);
    struct vcpu_info *v = &si.vcpu_info[0];
    while (scanf(" %c", &op) == 1) {
        unsigned a, b, c, d;
        switch (op) {
        case 'S': scanf("%u", &a);
            if (a >= NPORTS) { printf("S- "); break; }
            if (tas(&si.evtchn_pending[a / BITS], a % BITS) || (si.evtchn_mask[a / BITS] >> (a % BITS) & 1) ||
                tas(&v->evtchn_pending_sel, a / BITS)) { printf("S0 "); break; }
            printf("S%d ", mark(v)); break;
        case 'M': scanf("%u", &a); if (a < NPORTS) tas(&si.evtchn_mask[a / BITS], a % BITS); printf("M "); break;
        case 'U': scanf("%u", &a); {
            int k = 0;
            if (a < NPORTS && tac(&si.evtchn_mask[a / BITS], a % BITS) && (si.evtchn_pending[a / BITS] >> (a % BITS) & 1) &&
                !tas(&v->evtchn_pending_sel, a / BITS)) k = mark(v);
            printf("U%d ", k); } break;
        case 'L': scanf("%u", &a); {
            int k = 0;
            if (a < NPORTS) { tac(&si.evtchn_mask[a / BITS], a % BITS);
                if ((si.evtchn_pending[a / BITS] >> (a % BITS) & 1) && !tas(&v->evtchn_pending_sel, a / BITS)) k = mark(v); }
            printf("L%d ", k); } break;
        case 'C': scanf("%u", &a); {
            unsigned n = 0;
            __atomic_exchange_n(&v->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
            xen_ulong_t sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
            printf("C[");
            while (sel) {
                unsigned w = __builtin_ctzl(sel);
                xen_ulong_t bits = si.evtchn_pending[w] & ~si.evtchn_mask[w];
                while (bits) {
                    if (n == a) { __atomic_fetch_or(&v->evtchn_pending_sel, sel, __ATOMIC_SEQ_CST); mark(v); goto out; }
                    unsigned bit = __builtin_ctzl(bits);
                    bits &= bits - 1;
                    if (tac(&si.evtchn_pending[w], bit)) { printf("%u,", (unsigned)(w * BITS + bit)); n++; }
                }
                sel &= sel - 1;
            }
        out:
            printf("] "); } break;
        case 'g': scanf("%u %u %u %u", &a, &b, &c, &d);
            if (a >= 8) { printf("g- "); break; }
            gt[a].frame = c; gt[a].domid = (domid_t)b; xen_wmb();
            gt[a].flags = GTF_permit_access | (d ? GTF_readonly : 0); printf("g "); break;
        case 'm': scanf("%u %u %u", &a, &b, &c); {
            if (a >= 8) { printf("m%d ", GNTST_bad_gntref); break; }
            uint32_t *combo = (uint32_t *)&gt[a], w = __atomic_load_n(combo, __ATOMIC_ACQUIRE);
            uint16_t fl = (uint16_t)w;
            if ((fl & GTF_type_mask) != GTF_permit_access || (w >> 16) != b || (!c && (fl & GTF_readonly))) { printf("m%d ", GNTST_permission_denied); break; }
            uint32_t nw = w | GTF_reading | (c ? 0 : GTF_writing);
            __atomic_compare_exchange_n(combo, &w, nw, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
            printf("m0:%u ", gt[a].frame); } break;
        case 'e': scanf("%u", &a); {
            if (a >= 8) { printf("e0 "); break; }
            uint16_t fl = gt[a].flags;
            if (fl & (GTF_reading | GTF_writing)) { printf("e0 "); break; }
            __atomic_compare_exchange_n(&gt[a].flags, &fl, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
            printf("e1 "); } break;
        case 'r': scanf("%u %u %u", &a, &b, &c);
            if (a < 8) __atomic_fetch_and(&gt[a].flags, (uint16_t)~((b ? GTF_writing : 0) | (c ? GTF_reading : 0)), __ATOMIC_SEQ_CST);
            printf("r "); break;
        case 'T': scanf("%u %u %u", &a, &b, &c); {
            uint32_t *h = hdr(a, b);
            if (!h) { printf("T- "); break; }
            ((grant_entry_header_t *)h)->domid = (domid_t)c; xen_wmb();
            ((grant_entry_header_t *)h)->flags = GTF_accept_transfer; printf("T "); } break;
        case 'c': scanf("%u %u %u", &a, &b, &c); {
            uint32_t *h = hdr(a, b);
            if (!h) { printf("c%d ", GNTST_bad_gntref); break; }
            uint32_t w = __atomic_load_n(h, __ATOMIC_ACQUIRE);
            if ((w & 0xFFFF) != GTF_accept_transfer || (w >> 16) != c) { printf("c%d ", GNTST_permission_denied); break; }
            __atomic_compare_exchange_n(h, &w, w | GTF_transfer_committed, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
            printf("c0 "); } break;
        case 'f': scanf("%u %u %u", &a, &b, &c); {
            uint32_t *h = hdr(a, b);
            if (!h) { printf("f- "); break; }
            if (a == 1) gt[b].frame = c; else gt2[b].full_page.frame = c;
            xen_wmb();
            __atomic_fetch_or(h, GTF_transfer_completed, __ATOMIC_SEQ_CST); printf("f "); } break;
        case 'x': scanf("%u %u", &a, &b); {
            uint32_t *h = hdr(a, b);
            if (!h) { printf("x0 "); break; }
            uint16_t *pflags = (uint16_t *)h, fl;
            while (!((fl = __atomic_load_n(pflags, __ATOMIC_ACQUIRE)) & GTF_transfer_committed))
                if (__atomic_compare_exchange_n(pflags, &fl, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) { printf("x0 "); goto done; }
            if (!(fl & GTF_transfer_completed)) { printf("x1 "); break; }
            xen_rmb();
            printf("x2:%llu ", (unsigned long long)(a == 1 ? gt[b].frame : gt2[b].full_page.frame));
            __atomic_store_n(pflags, 0, __ATOMIC_RELEASE);
        done: ; } break;
        case 'E': {
            unsigned char *p = (unsigned char *)&si; size_t i, k = 0;
            for (i = 0; i < sizeof si; i++) k += sprintf(hex + k, "%02x", p[i]);
            p = (unsigned char *)gt;
            for (i = 0; i < sizeof gt; i++) k += sprintf(hex + k, "%02x", p[i]);
            p = (unsigned char *)gt2;
            for (i = 0; i < sizeof gt2; i++) k += sprintf(hex + k, "%02x", p[i]);
            printf("\nM %s\n", hex);
            memset(&si, 0, sizeof si); memset(gt, 0, sizeof gt); memset(gt2, 0, sizeof gt2); } break;
        default: return 3;
        }
    }
    return 0;
}
