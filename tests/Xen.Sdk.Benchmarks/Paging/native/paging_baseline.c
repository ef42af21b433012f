/* C baseline for the Xen.Sdk.Paging map benchmark: the plainest loop that writes the same EPT entries as
 * SecondLevelTables.Map for 16 GiB of 4 KiB pages (PML4 -> PDPT -> 16 PDs -> 8192 PTs, leaves RWX WB), taking
 * zeroed 4 KiB frames from a bump arena exactly like ArenaFrameSource does. Built with gcc -O2 at benchmark start. */
#include <stdint.h>
#include <string.h>

#define EPT_RWX 7ull
#define EPT_WB (6ull << 3)

struct arena { uint8_t *mem; uint64_t base, next, limit; };

static uint64_t alloc_frame(struct arena *a)
{
    if (a->next + 4096 > a->limit) return 0;
    uint64_t off = a->next;
    a->next += 4096;
    memset(a->mem + off, 0, 4096);
    return a->base + off;
}

static uint64_t *map(struct arena *a, uint64_t hpa) { return (uint64_t *)(a->mem + (hpa - a->base)); }

/* Maps [0, gib GiB) identity with 4 KiB pages; returns the PML4's address, or 0 when out of frames. */
uint64_t baseline_map_4k(uint8_t *mem, uint64_t base, uint64_t length, uint64_t gib)
{
    struct arena a = { mem, base, 4096, length & ~4095ull };
    uint64_t pml4 = alloc_frame(&a), pdpt = alloc_frame(&a);
    if (!pml4 || !pdpt) return 0;
    map(&a, pml4)[0] = pdpt | EPT_RWX;
    uint64_t out = 0;
    for (uint64_t g = 0; g < gib; g++) {
        uint64_t pd = alloc_frame(&a);
        if (!pd) return 0;
        map(&a, pdpt)[g] = pd | EPT_RWX;
        for (int d = 0; d < 512; d++) {
            uint64_t pt = alloc_frame(&a);
            if (!pt) return 0;
            map(&a, pd)[d] = pt | EPT_RWX;
            uint64_t *e = map(&a, pt);
            for (int i = 0; i < 512; i++) {
                e[i] = out | EPT_RWX | EPT_WB;
                out += 4096;
            }
        }
    }
    return pml4;
}
