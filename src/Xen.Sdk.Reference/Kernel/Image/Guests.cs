using System;
using Internal.Runtime;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;

namespace Xen.Sdk.Reference.Kernel
{
    /// <summary>Guest RAM: one contiguous host region mapped at guest-physical 0 (bounds-checked copies).</summary>
    internal unsafe struct GuestRam : IGuestMemory
    {
        public byte* Host;
        public ulong Size;

        public bool TryRead(ulong guestPhysical, Span<byte> destination)
        {
            ulong len = (ulong)destination.Length;
            if (guestPhysical >= Size || len > Size - guestPhysical) return false;
            new ReadOnlySpan<byte>(Host + guestPhysical, destination.Length).CopyTo(destination);
            return true;
        }

        // One branch (non-short-circuit operators): page-aligned and the whole page inside RAM.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public byte* TryMapPage(ulong guestPhysical) =>
            ((guestPhysical & 0xFFF) == 0) & (guestPhysical < Size) & (Size - guestPhysical >= 4096) ? Host + guestPhysical : null;

        public bool TryWrite(ulong guestPhysical, ReadOnlySpan<byte> source)
        {
            ulong len = (ulong)source.Length;
            if (guestPhysical >= Size || len > Size - guestPhysical) return false;
            source.CopyTo(new Span<byte>(Host + guestPhysical, source.Length));
            return true;
        }
    }

    /// <summary>Frames for the guest's own page tables, taken from a reserved window of guest RAM.</summary>
    internal unsafe struct GuestTableFrames : IGuestFrameSource
    {
        public byte* RamHost;
        public ulong Next, Limit;

        public bool TryAllocateFrame(out GuestPhysicalAddress frame)
        {
            frame = new GuestPhysicalAddress(Next);
            if (Next + 0x1000 > Limit) return false;
            new Span<byte>(RamHost + Next, 4096).Clear();
            Next += 0x1000;
            return true;
        }

        public void FreeFrame(GuestPhysicalAddress frame) { }

        // SAFETY: frames come from [Next, Limit) inside guest RAM, which is mapped contiguously at RamHost.
        public byte* MapFrame(GuestPhysicalAddress frame) => RamHost + frame.Value;
    }

    /// <summary>Guest console output: prefixed, line-buffered lines on COM1 ("XENSDK CONSOLE name: text").</summary>
    internal unsafe struct SerialGuestConsole : IGuestConsole
    {
        public static byte* Line;
        public static int Length;
        public static ReadOnlySpan<byte> Name => new ReadOnlySpan<byte>(s_name, s_nameLength);
        private static byte* s_name;
        private static int s_nameLength;
        public static ulong BytesWritten;

        public static void Initialize()
        {
            Line = (byte*)KernelHeap.Allocate(256);
            s_name = (byte*)KernelHeap.Allocate(32);
        }

        public static void Begin(ReadOnlySpan<byte> name)
        {
            s_nameLength = Math.Min(name.Length, 32);
            name.Slice(0, s_nameLength).CopyTo(new Span<byte>(s_name, 32));
            Length = 0;
            BytesWritten = 0;
        }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                BytesWritten++;
                if (b == '\n' || Length == 200) Flush();
                if (b != '\n' && b != '\r') Line[Length++] = b >= 0x20 && b < 0x7F ? b : (byte)'?';
            }
        }

        public static void Flush()
        {
            if (Length == 0) return;
            Serial.Write("XENSDK CONSOLE ");
            for (int i = 0; i < s_nameLength; i++) Serial.Write(s_name[i]);
            Serial.Write((byte)':');
            Serial.Write((byte)' ');
            for (int i = 0; i < Length; i++) Serial.Write(Line[i]);
            Serial.WriteLine();
            Length = 0;
        }
    }

    /// <summary>The guest image format the host tool writes (KernelTool guests; docs/reference.md "Writing a guest").</summary>
    internal unsafe struct GuestImage
    {
        public const ulong Magic = 0x31545347_4B445358UL;    // "XSDKGST1"
        public const int HeaderSize = 64;
        public uint Mode;          // 0 long64, 1 protected32 (PVH-like entry, paging off), 2 real16
        public uint Load;          // guest-physical load address of the code
        public uint Entry;         // entry RIP (real mode: segment << 16 | offset)
        public uint Stack;         // initial stack pointer
        public uint RamSize;       // guest RAM in bytes
        public uint Flags;         // bit 0: benchmark results at guest-physical 0x6000
        public byte* Name;
        public byte* Code;
        public ulong CodeLength;

        public static bool TryParse(ulong start, ulong end, out GuestImage image)
        {
            image = default;
            if (end < start + HeaderSize) return false;
            byte* p = (byte*)start;
            if (*(ulong*)p != Magic) return false;
            image.Mode = *(uint*)(p + 8);
            image.Load = *(uint*)(p + 12);
            image.Entry = *(uint*)(p + 16);
            image.Stack = *(uint*)(p + 20);
            image.RamSize = *(uint*)(p + 24);
            image.Flags = *(uint*)(p + 28);
            image.Name = p + 32;
            image.Code = p + HeaderSize;
            image.CodeLength = end - start - HeaderSize;
            return true;
        }
    }
}
