/* Layout oracle for FlexRingInterface: offsets of DEFINE_XEN_FLEX_RING_AND_INTF's indexes page and
 * XEN_FLEX_RING_SIZE, as gcc computes them from <xen/io/ring.h>; then "Q prod cons size" queries of the
 * generated name##_queued helper, one per input line. */
#include "xen_barriers.h"
#include <stdio.h>
DEFINE_XEN_FLEX_RING_AND_INTF(xsdk);

int main(void) {
    printf("%zu %zu %zu %zu %zu %zu %zu\n", offsetof(struct xsdk_data_intf, in_cons), offsetof(struct xsdk_data_intf, in_prod),
           offsetof(struct xsdk_data_intf, out_cons), offsetof(struct xsdk_data_intf, out_prod),
           offsetof(struct xsdk_data_intf, ring_order), offsetof(struct xsdk_data_intf, ref), sizeof(struct xsdk_data_intf));
    for (unsigned o = 0; o <= 9; o++) printf("%lu ", (unsigned long)XEN_FLEX_RING_SIZE(o));
    printf("\n");
    unsigned p, c, s;
    while (scanf(" Q %u %u %u", &p, &c, &s) == 3) printf("%u\n", xsdk_queued(p, c, s));
    return 0;
}
