using System;
using Internal.Runtime;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Frames;

namespace Xen.Sdk.Reference.Kernel
{
    /// <summary>Multiboot (v1) information: memory map, modules, command line (Multiboot Specification 0.6.96 §3.3).</summary>
    internal unsafe struct BootModule
    {
        public ulong Start;
        public ulong End;
        public byte* Name;
    }

    internal static unsafe class Multiboot
    {
        public const uint Magic = 0x2BADB002;
        public static byte* CommandLine;
        public static int ModuleCount;
        public static BootModule* Modules;   // fixed array in the kernel heap (allocated once at boot)
        public static ulong HighestModuleEnd;

        public static void Parse(uint info)
        {
            byte* mb = (byte*)(ulong)info;
            uint flags = *(uint*)mb;
            if ((flags & (1 << 2)) != 0) CommandLine = (byte*)(ulong)*(uint*)(mb + 16);
            if ((flags & (1 << 3)) != 0)
            {
                ModuleCount = (int)*(uint*)(mb + 20);
                if (ModuleCount > 32) ModuleCount = 32;
                uint* mods = (uint*)(ulong)*(uint*)(mb + 24);
                Modules = (BootModule*)KernelHeap.Allocate((nuint)(sizeof(BootModule) * 32));
                for (int i = 0; i < ModuleCount; i++)
                {
                    Modules[i].Start = mods[i * 4];
                    Modules[i].End = mods[i * 4 + 1];
                    Modules[i].Name = (byte*)(ulong)mods[i * 4 + 2];
                }
            }
        }

        /// <summary>The highest byte the loader's data occupies (information structure, command line, module list, module
        /// images and names, memory map), so the frame allocator starts above all of it. Loaders place these anywhere
        /// above the image (QEMU puts the command line right after it).</summary>
        public static ulong ModulesEnd(uint info)
        {
            byte* mb = (byte*)(ulong)info;
            uint flags = *(uint*)mb;
            ulong end = info + 88UL;
            if ((flags & (1 << 2)) != 0) end = Math.Max(end, StringEnd(*(uint*)(mb + 16)));
            if ((flags & (1 << 3)) != 0)
            {
                uint count = *(uint*)(mb + 20);
                uint* mods = (uint*)(ulong)*(uint*)(mb + 24);
                end = Math.Max(end, (ulong)mods + count * 16UL);
                for (uint i = 0; i < count; i++)
                {
                    end = Math.Max(end, mods[i * 4 + 1]);
                    end = Math.Max(end, StringEnd(mods[i * 4 + 2]));
                }
            }
            if ((flags & (1 << 6)) != 0) end = Math.Max(end, (ulong)*(uint*)(mb + 48) + *(uint*)(mb + 44));
            return end;
        }

        private static ulong StringEnd(uint address)
        {
            if (address == 0) return 0;
            byte* p = (byte*)(ulong)address;
            int n = 0;
            while (p[n] != 0 && n < 4096) n++;
            return address + (ulong)n + 1;
        }

        /// <summary>The value of <c>key=</c> on the command line (up to the next space), as a span; empty if absent.</summary>
        public static ReadOnlySpan<byte> Option(ReadOnlySpan<byte> key)
        {
            if (CommandLine == null) return default;
            int len = 0;
            while (CommandLine[len] != 0 && len < 4096) len++;
            var line = new ReadOnlySpan<byte>(CommandLine, len);
            for (int i = 0; i + key.Length < line.Length; i++)
            {
                if ((i == 0 || line[i - 1] == ' ') && line.Slice(i, key.Length).SequenceEqual(key) && line[i + key.Length] == '=')
                {
                    int start = i + key.Length + 1, end = start;
                    while (end < line.Length && line[end] != ' ') end++;
                    return line.Slice(start, end - start);
                }
            }
            return default;
        }

        /// <summary>The decimal value of <c>key=</c> on the command line; <paramref name="absent"/> when the key is missing
        /// or its value is not a decimal number below 2^32.</summary>
        public static uint OptionNumber(ReadOnlySpan<byte> key, uint absent)
        {
            ReadOnlySpan<byte> v = Option(key);
            if (v.IsEmpty || v.Length > 10) return absent;
            ulong n = 0;
            foreach (byte c in v)
            {
                if (c < (byte)'0' || c > (byte)'9') return absent;
                n = n * 10 + (ulong)(c - (byte)'0');
            }
            return n > uint.MaxValue ? absent : (uint)n;
        }

        public static ReadOnlySpan<byte> CString(byte* s)
        {
            if (s == null) return default;
            int n = 0;
            while (s[n] != 0 && n < 256) n++;
            return new ReadOnlySpan<byte>(s, n);
        }
    }

    /// <summary>Physical memory from the multiboot memory map: the largest available region above the image and the
    /// modules, handed out as zeroed 4 KiB frames (bump allocation with a free list).</summary>
    internal static unsafe class PhysicalMemory
    {
        public static ulong Base, End, Next, TotalAvailable;
        private static ulong s_freeList;
        public static ulong FramesAllocated;

        public static bool Initialize(uint info)
        {
            byte* mb = (byte*)(ulong)info;
            uint flags = *(uint*)mb;
            if ((flags & (1 << 6)) == 0) return false;
            uint length = *(uint*)(mb + 44);
            byte* map = (byte*)(ulong)*(uint*)(mb + 48);
            ulong floor = Math.Max(Native.ImageEnd(), Multiboot.ModulesEnd(info));
            floor = (floor + 0xFFF) & ~0xFFFUL;
            ulong bestBase = 0, bestEnd = 0;
            for (byte* p = map; p < map + length;)
            {
                uint size = *(uint*)p;
                ulong baseAddr = *(ulong*)(p + 4), len = *(ulong*)(p + 12);
                uint type = *(uint*)(p + 20);
                if (type == 1)
                {
                    TotalAvailable += len;
                    ulong b = Math.Max(baseAddr, floor), e = Math.Min(baseAddr + len, 0x1_0000_0000UL) & ~0xFFFUL;
                    b = (b + 0xFFF) & ~0xFFFUL;
                    if (e > b && e - b > bestEnd - bestBase) { bestBase = b; bestEnd = e; }
                }
                p += size + 4;
            }
            Base = Next = bestBase;
            End = bestEnd;
            return End > Base;
        }

        public static bool TryAllocate(out ulong frame)
        {
            if (s_freeList != 0)
            {
                frame = s_freeList;
                s_freeList = *(ulong*)frame;
            }
            else
            {
                if (Next + 0x1000 > End) { frame = 0; return false; }
                frame = Next;
                Next += 0x1000;
            }
            new Span<byte>((void*)frame, 4096).Clear();
            FramesAllocated++;
            return true;
        }

        /// <summary>Contiguous zeroed frames (bump region only).</summary>
        public static bool TryAllocateContiguous(ulong bytes, out ulong start)
        {
            bytes = (bytes + 0xFFF) & ~0xFFFUL;
            if (Next + bytes > End) { start = 0; return false; }
            start = Next;
            Next += bytes;
            for (ulong p = start; p < start + bytes; p += 4096) new Span<byte>((void*)p, 4096).Clear();
            FramesAllocated += bytes / 4096;
            return true;
        }

        public static void Free(ulong frame)
        {
            *(ulong*)frame = s_freeList;
            s_freeList = frame;
            FramesAllocated--;
        }
    }

    /// <summary>Xen.Sdk.Paging's page-frame source over the kernel's physical memory (identity-mapped below 4 GiB).</summary>
    internal unsafe struct KernelFrames : IPageFrameSource
    {
        public bool TryAllocateFrame(out HostPhysicalAddress frame)
        {
            bool ok = PhysicalMemory.TryAllocate(out ulong f);
            frame = new HostPhysicalAddress(f);
            return ok;
        }

        public void FreeFrame(HostPhysicalAddress frame) => PhysicalMemory.Free(frame.Value);

        // SAFETY: the boot stub identity-maps 0-4 GiB and the allocator only hands out frames below 4 GiB.
        public byte* MapFrame(HostPhysicalAddress frame) => (byte*)frame.Value;
    }

    /// <summary>Time-stamp counter, calibrated against the PIT (channel 2, gate via port 0x61; 1.193182 MHz).</summary>
    internal static class Tsc
    {
        public static ulong TicksPerMs;

        public static void Calibrate()
        {
            // 10 ms one-shot on PIT channel 2: mode 0, count 11932.
            const uint count = 11932;
            Native.OutB(0x61, (uint)((Native.InB(0x61) & 0xFD) | 0x01));
            Native.OutB(0x43, 0xB0);
            Native.OutB(0x42, count & 0xFF);
            Native.OutB(0x42, count >> 8);
            ulong start = Native.Rdtsc();
            int guard = 0;
            while ((Native.InB(0x61) & 0x20) == 0 && ++guard < 50_000_000) { }
            ulong end = Native.Rdtsc();
            TicksPerMs = (end - start) / 10;
            if (TicksPerMs == 0) TicksPerMs = 1;
        }

        public static ulong Milliseconds(ulong ticks) => ticks / TicksPerMs;

        public static ulong Microseconds(ulong ticks) => ticks * 1000 / TicksPerMs;

        private static bool s_firstEntryReported;

        /// <summary>Once, right before the first guest's first VMRUN/VMLAUNCH: <c>XENSDK TIMING first_guest_entry_us=</c>,
        /// the time from the boot stub's first instruction (its RDTSC, <c>xensdk_boot_tsc</c>) to the first guest
        /// instruction, on this machine's calibrated TSC.</summary>
        public static void ReportFirstGuestEntry(ReadOnlySpan<byte> guest)
        {
            if (s_firstEntryReported) return;
            s_firstEntryReported = true;
            ulong ticks = Native.Rdtsc() - Native.BootTsc();
            Serial.Write("XENSDK TIMING first_guest_entry_us=");
            Serial.WriteDec(Microseconds(ticks));
            Serial.Write(" boot_tsc_ticks=");
            Serial.WriteDec(ticks);
            Serial.Write(" tsc_per_ms=");
            Serial.WriteDec(TicksPerMs);
            Serial.Write(" guest=");
            Serial.Write(guest);
            Serial.WriteLine();
        }
    }

    /// <summary>The host CPU for the dispatcher (native CPUID).</summary>
    internal unsafe struct HostCpu : IHostCpu
    {
        public void Cpuid(uint leaf, uint subleaf, out uint eax, out uint ebx, out uint ecx, out uint edx)
        {
            uint* r = stackalloc uint[4];
            Native.CpuId(leaf, subleaf, r);
            eax = r[0]; ebx = r[1]; ecx = r[2]; edx = r[3];
        }

        public ulong ReadTsc() => Native.Rdtsc();
    }
}
