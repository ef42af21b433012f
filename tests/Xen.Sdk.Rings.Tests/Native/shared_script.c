/* Byte-image oracle for TwoLevelEventChannels and GrantTableV1: scripted guest/hypervisor operations on the
 * real header types (struct shared_info / struct vcpu_info from <xen/xen.h>, grant_entry_v1_t and the GTF_*
 * macros from <xen/grant_table.h>), with the algorithms of Xen's evtchn_2l_set_pending/evtchn_2l_unmask,
 * Linux's 2-level upcall scan and Xen's _set_status_v1 / Linux's gnttab_end_foreign_access_ref_v1 written
 * with gcc atomics. Prints a trace and the hex image of shared_info and of an 8-entry grant table.
 * Built for x86_64 and, with -m32, for the x86_32 ABI (xen_ulong_t 32 bits: 1024 ports, 32-bit selector).
 * Input per sequence: ops, then 'E'. Ops: S port | M port | U port | L port (guest local unmask) | C n (consume)
 *   | g ref dom frame ro | m ref dom ro | e ref | r ref wr last */
#include "xen_barriers.h"
#include <stdio.h>

static struct shared_info si;
static grant_entry_v1_t gt[8];
#define BITS (sizeof(xen_ulong_t) * 8)
/* 4096 ports on x86_64 (64 words of 64 bits); 1024 with -m32, where xen_ulong_t is 32 bits (32 x 32). */
#define NPORTS (sizeof si.evtchn_pending * 8)

static int tas(xen_ulong_t *w, unsigned b) { return (__atomic_fetch_or(w, 1UL << b, __ATOMIC_SEQ_CST) >> b) & 1; }
static int tac(xen_ulong_t *w, unsigned b) { return (__atomic_fetch_and(w, ~(1UL << b), __ATOMIC_SEQ_CST) >> b) & 1; }
static int mark(struct vcpu_info *v) { return __atomic_exchange_n(&v->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST) == 0; }

int main(void) {
    char op;
    static char hex[2 * (sizeof si + sizeof gt) + 1];
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
        case 'E': {
            unsigned char *p = (unsigned char *)&si; size_t i, k = 0;
            for (i = 0; i < sizeof si; i++) k += sprintf(hex + k, "%02x", p[i]);
            p = (unsigned char *)gt;
            for (i = 0; i < sizeof gt; i++) k += sprintf(hex + k, "%02x", p[i]);
            printf("\nM %s\n", hex);
            memset(&si, 0, sizeof si); memset(gt, 0, sizeof gt); } break;
        default: return 3;
        }
    }
    return 0;
}
