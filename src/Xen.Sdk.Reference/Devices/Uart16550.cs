namespace Xen.Sdk.Reference.Devices;

/// <summary>An emulated 16550 UART for the guest (8 ports at <see cref="BasePort"/>): transmit goes to the guest
/// console, the line status always reports an empty transmitter, receive is empty, the other registers hold what
/// the guest writes (divisor latch included). Register map per the PC16550D data sheet.</summary>
public struct Uart16550
{
    /// <summary>COM1.</summary>
    public const ushort BasePort = 0x3F8;
    private byte _ier, _lcr, _mcr, _scr, _dll, _dlm, _fcr;

    /// <summary>True when <paramref name="port"/> belongs to this UART.</summary>
    public static bool Claims(ushort port) => port >= BasePort && port < BasePort + 8;

    /// <summary>A guest OUT. Returns the byte to transmit in <paramref name="transmitted"/> (true when one was sent).</summary>
    public bool Write(ushort port, byte value, out byte transmitted)
    {
        transmitted = 0;
        bool dlab = (_lcr & 0x80) != 0;
        switch (port - BasePort)
        {
            case 0:
                if (dlab) { _dll = value; return false; }
                transmitted = value;
                return true;
            case 1: if (dlab) _dlm = value; else _ier = (byte)(value & 0x0F); return false;
            case 2: _fcr = value; return false;
            case 3: _lcr = value; return false;
            case 4: _mcr = (byte)(value & 0x1F); return false;
            case 7: _scr = value; return false;
            default: return false;
        }
    }

    /// <summary>A guest IN.</summary>
    public readonly byte Read(ushort port)
    {
        bool dlab = (_lcr & 0x80) != 0;
        return (port - BasePort) switch
        {
            0 => dlab ? _dll : (byte)0,
            1 => dlab ? _dlm : _ier,
            2 => (byte)(0x01 | ((_fcr & 1) != 0 ? 0xC0 : 0)),   // IIR: no interrupt pending; FIFOs enabled bits
            3 => _lcr,
            4 => _mcr,
            5 => 0x60,                                            // LSR: THR empty, transmitter empty
            6 => 0xB0,                                            // MSR: CTS, DSR, DCD
            7 => _scr,
            _ => 0xFF,
        };
    }
}
