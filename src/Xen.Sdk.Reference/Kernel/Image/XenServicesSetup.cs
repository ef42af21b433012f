using System;
using Xen.Sdk.Reference.Services;

namespace Xen.Sdk.Reference.Kernel
{
    /// <summary>Configures a guest's Xen services (event channels, shared_info, XenStore, console ring) before it runs:
    /// the private service memory is allocated once for the whole boot (guests run one after another), the XenStore and
    /// console pages are the two top pages of guest RAM, as a toolstack places them.</summary>
    internal static unsafe class XenServicesSetup
    {
        private static byte* s_memory;

        public static bool Configure(ref XenDomain xen, in GuestRam ram, ReadOnlySpan<byte> name)
        {
            // Page frames, not the kernel heap: taken once, at the first guest (heap_allocs_during_guests stays 0).
            if (s_memory == null)
            {
                if (!PhysicalMemory.TryAllocateContiguous(((ulong)XenDomain.MemorySize + 4095) & ~4095UL, out ulong pa)) return false;
                s_memory = (byte*)pa;
            }
            ulong storePfn = (ram.Size >> 12) - 2, consolePfn = (ram.Size >> 12) - 1;
            GuestRam r = ram;
            if (!xen.Initialize(s_memory, r.TryMapPage(storePfn << 12), storePfn, r.TryMapPage(consolePfn << 12), consolePfn, name)) return false;
            // Xen system time starts at 0 for each guest, on the TSC calibrated against the PIT at boot.
            ulong tsc = Native.Rdtsc();
            xen.Clock.Configure(Tsc.TicksPerMs * 1000, tsc);
            xen.PublishTime(tsc);
            // The wall clock at system time 0: the CMOS RTC now (whole seconds; wc_nsec 0). A machine whose RTC holds no
            // valid date gets the epoch (wc_sec 0), which a guest can tell from a real date.
            if (!Rtc.TryReadUnixSeconds(out ulong seconds)) seconds = 0;
            xen.SetWallClock(seconds, 0);
            return true;
        }
    }
}
