using Xen.Sdk.Abi.Io;

namespace Xen.Sdk.Rings.Console;

/// <summary>
/// The PV console page (<c>struct xencons_interface</c>, xen/include/public/io/console.h) as two byte rings:
/// <c>out</c> (2048 bytes, guest to backend) and <c>in</c> (1024 bytes, backend to guest).
/// </summary>
/// <example>
/// <code>
/// ConsoleRing.TryAttachGuest(page, out ByteRingWriter output, out ByteRingReader input);
/// output.Write("hello\n"u8, out int n);   // then notify the console event channel
/// </code>
/// </example>
public static unsafe class ConsoleRing
{
    /// <summary>
    /// Guest side: a writer for <c>out</c> (starting at the current <c>out_prod</c>) and a reader for
    /// <c>in</c> (starting at the current <c>in_cons</c>); those two indices are the guest's own.
    /// </summary>
    public static bool TryAttachGuest(ConsoleInterface* page, out ByteRingWriter output, out ByteRingReader input)
    {
        input = default;
        output = default;
        if (page == null) return false;
        byte* p = (byte*)page;
        return ByteRingWriter.TryCreate(p + ConsoleInterface.OutOffset, ConsoleInterface.OutRingSize,
                   (uint*)(p + ConsoleInterface.OutConsOffset), (uint*)(p + ConsoleInterface.OutProdOffset), page->OutProd, out output)
            && ByteRingReader.TryCreate(p + ConsoleInterface.InOffset, ConsoleInterface.InRingSize,
                   (uint*)(p + ConsoleInterface.InConsOffset), (uint*)(p + ConsoleInterface.InProdOffset), page->InCons, out input);
    }

    /// <summary>
    /// Backend side: a reader for <c>out</c> (starting at the current <c>out_cons</c>) and a writer for
    /// <c>in</c> (starting at the current <c>in_prod</c>).
    /// </summary>
    public static bool TryAttachBackend(ConsoleInterface* page, out ByteRingReader output, out ByteRingWriter input)
    {
        input = default;
        output = default;
        if (page == null) return false;
        byte* p = (byte*)page;
        return ByteRingReader.TryCreate(p + ConsoleInterface.OutOffset, ConsoleInterface.OutRingSize,
                   (uint*)(p + ConsoleInterface.OutConsOffset), (uint*)(p + ConsoleInterface.OutProdOffset), page->OutCons, out output)
            && ByteRingWriter.TryCreate(p + ConsoleInterface.InOffset, ConsoleInterface.InRingSize,
                   (uint*)(p + ConsoleInterface.InConsOffset), (uint*)(p + ConsoleInterface.InProdOffset), page->InProd, out input);
    }
}
