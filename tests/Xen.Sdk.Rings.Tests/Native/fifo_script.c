/* Byte-image oracle for the FIFO event-channel classes: event words and the control block are the header's
 * types (event_word_t, struct evtchn_fifo_control_block, EVTCHN_FIFO_* from <xen/event_channel.h>); the
 * operations follow Xen's evtchn_fifo_set_pending/evtchn_fifo_set_link/evtchn_fifo_unmask (hypervisor) and
 * Linux's __evtchn_fifo_handle_events/consume_one_event/clear_masked_cond (guest), written with gcc atomics.
 * Input: ops then 'E'. Ops: P port prio (raise) | M port (guest mask) | U port prio (guest unmask, hypercall
 * if needed) | D (guest upcall: drain all queues) */
#include "xen_barriers.h"
#include <xen/event_channel.h>
#include <stdio.h>

#define NPORTS 64
static event_word_t words[NPORTS];
static struct evtchn_fifo_control_block cb;
static uint32_t tails[EVTCHN_FIFO_MAX_QUEUES], heads[EVTCHN_FIFO_MAX_QUEUES];
#define BIT(b) (1u << (b))

static int set_link(event_word_t *w, uint32_t link) {
    event_word_t old = __atomic_load_n(w, __ATOMIC_ACQUIRE);
    for (;;) {
        if (!(old & BIT(EVTCHN_FIFO_LINKED))) return 0;
        event_word_t nw = (old & ~(BIT(EVTCHN_FIFO_BUSY) | EVTCHN_FIFO_LINK_MASK)) | link;
        if (__atomic_compare_exchange_n(w, &old, nw, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) return 1;
    }
}

static int set_pending(uint32_t port, uint32_t prio) {
    event_word_t *w = &words[port];
    event_word_t old = __atomic_fetch_or(w, BIT(EVTCHN_FIFO_PENDING), __ATOMIC_SEQ_CST);
    if (old & (BIT(EVTCHN_FIFO_MASKED) | BIT(EVTCHN_FIFO_LINKED))) return 0;
    if (__atomic_fetch_or(w, BIT(EVTCHN_FIFO_LINKED), __ATOMIC_SEQ_CST) & BIT(EVTCHN_FIFO_LINKED)) return 0;
    for (int q = 0; q < EVTCHN_FIFO_MAX_QUEUES; q++) if (tails[q] == port) tails[q] = 0;
    int linked = tails[prio] ? set_link(&words[tails[prio]], port) : 0;
    if (!linked) __atomic_store_n(&cb.head[prio], port, __ATOMIC_RELEASE);
    tails[prio] = port;
    if (!linked) return !((__atomic_fetch_or(&cb.ready, BIT(prio), __ATOMIC_SEQ_CST) >> prio) & 1);
    return 0;
}

int main(void) {
    char op;
    static char hex[2 * (sizeof words + sizeof cb) + 1];
    while (scanf(" %c", &op) == 1) {
        unsigned a, b;
        switch (op) {
        case 'P': if (scanf("%u %u", &a, &b) != 2) return 2; printf("P%d ", set_pending(a, b)); break;
        case 'M': if (scanf("%u", &a) != 1) return 2; __atomic_fetch_or(&words[a], BIT(EVTCHN_FIFO_MASKED), __ATOMIC_SEQ_CST); printf("M "); break;
        case 'U': if (scanf("%u %u", &a, &b) != 2) return 2; {
            event_word_t w = __atomic_load_n(&words[a], __ATOMIC_ACQUIRE);
            int hyper = 0;
            for (;;) {
                if (!(w & BIT(EVTCHN_FIFO_MASKED))) break;
                if (w & BIT(EVTCHN_FIFO_PENDING)) { hyper = 1; break; }
                if (__atomic_compare_exchange_n(&words[a], &w, w & ~BIT(EVTCHN_FIFO_MASKED), 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) break;
            }
            int kick = 0;
            if (hyper) {   /* EVTCHNOP_unmask */
                event_word_t o = __atomic_fetch_and(&words[a], ~BIT(EVTCHN_FIFO_MASKED), __ATOMIC_SEQ_CST);
                if (o & BIT(EVTCHN_FIFO_PENDING)) kick = set_pending(a, b);
            }
            printf("U%d%d ", hyper, kick); } break;
        case 'D': {
            uint32_t ready = __atomic_exchange_n(&cb.ready, 0, __ATOMIC_SEQ_CST);
            printf("D[");
            while (ready) {
                unsigned q = __builtin_ctz(ready);
                uint32_t head = heads[q];
                if (!head) head = __atomic_load_n(&cb.head[q], __ATOMIC_ACQUIRE);
                event_word_t *w = &words[head], old = __atomic_load_n(w, __ATOMIC_ACQUIRE);
                while (!__atomic_compare_exchange_n(w, &old, old & ~(BIT(EVTCHN_FIFO_LINKED) | EVTCHN_FIFO_LINK_MASK), 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {}
                uint32_t next = old & EVTCHN_FIFO_LINK_MASK;
                if (!next) ready &= ~BIT(q);
                heads[q] = next;
                if (!(old & BIT(EVTCHN_FIFO_MASKED)) && (old & BIT(EVTCHN_FIFO_PENDING)) &&
                    (__atomic_fetch_and(w, ~BIT(EVTCHN_FIFO_PENDING), __ATOMIC_SEQ_CST) & BIT(EVTCHN_FIFO_PENDING)))
                    printf("%u,", head);
                ready |= __atomic_exchange_n(&cb.ready, 0, __ATOMIC_SEQ_CST);
            }
            printf("] "); } break;
        case 'E': {
            size_t k = 0, i;
            unsigned char *p = (unsigned char *)words;
            for (i = 0; i < sizeof words; i++) k += sprintf(hex + k, "%02x", p[i]);
            p = (unsigned char *)&cb;
            for (i = 0; i < sizeof cb; i++) k += sprintf(hex + k, "%02x", p[i]);
            printf("\nM %s\n", hex);
            memset(words, 0, sizeof words); memset(&cb, 0, sizeof cb); memset(tails, 0, sizeof tails); memset(heads, 0, sizeof heads);
        } break;
        default: return 3;
        }
    }
    return 0;
}
