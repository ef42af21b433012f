namespace Xen.Sdk.Reference.Kernel
{
    /// <summary>COM1 (16550 UART at 0x3F8), polled, 115200 8N1. The kernel's console and result channel.</summary>
    internal static unsafe class Serial
    {
        private const uint Com1 = 0x3F8;

        public static void Initialize()
        {
            Native.OutB(Com1 + 1, 0x00);    // no interrupts
            Native.OutB(Com1 + 3, 0x80);    // DLAB
            Native.OutB(Com1 + 0, 0x01);    // divisor 1 = 115200
            Native.OutB(Com1 + 1, 0x00);
            Native.OutB(Com1 + 3, 0x03);    // 8N1
            Native.OutB(Com1 + 2, 0xC7);    // FIFO on, cleared
            Native.OutB(Com1 + 4, 0x03);    // DTR, RTS
        }

        public static void Write(byte b)
        {
            // LSR bit 5: transmit holding register empty.
            int spins = 0;
            while ((Native.InB(Com1 + 5) & 0x20) == 0 && ++spins < 100000) { }
            Native.OutB(Com1, b);
        }

        /// <summary>Waits until the transmitter is empty (LSR bit 6), so nothing is lost at shutdown.</summary>
        public static void Drain()
        {
            int spins = 0;
            while ((Native.InB(Com1 + 5) & 0x40) == 0 && ++spins < 1000000) { }
        }

        public static void Write(char c) => Write((byte)(c < 0x80 ? c : '?'));

        public static void Write(string s)
        {
            for (int i = 0; i < s.Length; i++) Write(s[i]);
        }

        public static void Write(System.ReadOnlySpan<byte> s)
        {
            for (int i = 0; i < s.Length; i++) Write(s[i]);
        }

        public static void Write(char* s, int length)
        {
            for (int i = 0; i < length; i++) Write(s[i]);
        }

        public static void WriteLine(string s)
        {
            Write(s);
            Write((byte)'\n');
        }

        public static void WriteLine() => Write((byte)'\n');

        /// <summary>Hex with at least <paramref name="digits"/> digits (more when the value needs them).</summary>
        public static void WriteHex(ulong value, int digits = 16)
        {
            int needed = 1;
            while (needed < 16 && (value >> (needed * 4)) != 0) needed++;
            if (needed > digits) digits = needed;
            for (int i = digits - 1; i >= 0; i--)
            {
                int d = (int)((value >> (i * 4)) & 0xF);
                Write((byte)(d < 10 ? '0' + d : 'a' + d - 10));
            }
        }

        public static void WriteDec(ulong value)
        {
            byte* buf = stackalloc byte[20];
            int n = 0;
            do { buf[n++] = (byte)('0' + (int)(value % 10)); value /= 10; } while (value != 0);
            while (n > 0) Write(buf[--n]);
        }

        public static void WriteDec(long value)
        {
            if (value < 0) { Write((byte)'-'); WriteDec((ulong)(-value)); }
            else WriteDec((ulong)value);
        }
    }
}
