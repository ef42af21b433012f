using System.Runtime;

namespace Xen.Sdk.Reference.Kernel
{
    internal static unsafe class Entry
    {
        [RuntimeExport("xensdk_main")]
        private static void Main(uint magic, uint info)
        {
            Serial.Initialize();
            Serial.WriteLine("XENSDK BOOT");
            Exit(0);
        }

        [RuntimeExport("XenSdkFailFast")]
        private static void FailFast(char* message, int length)
        {
            Serial.Write("XENSDK PANIC ");
            Serial.Write(message, length);
            Serial.WriteLine();
            Exit(1);
        }

        [RuntimeExport("XenSdkInterfaceDispatch")]
        private static nint InterfaceDispatch(nint self, nint cell)
        {
            Serial.WriteLine("XENSDK PANIC interface dispatch on an object is not supported by the kernel runtime");
            Exit(1);
            return 0;
        }

        public static void Exit(int status)
        {
            Serial.Drain();
            Native.OutB(0xF4, (uint)status);         // QEMU isa-debug-exit: exit status (status << 1) | 1
            for (int i = 0; i < 8; i++) Native.OutB(0x8900, "Shutdown"[i]);  // Bochs
            while (true) { Native.Cli(); Native.Hlt(); }
        }
    }
}
