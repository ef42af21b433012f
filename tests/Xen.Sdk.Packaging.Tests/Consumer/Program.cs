// A consumer of the Xen.Sdk packages, restored from artifacts/packages by ConsumerTests.
// Calls one public API of each package and prints one line per package.
using System;
using Xen.Sdk.Abi;

Console.WriteLine($"Xen.Sdk.Abi: Xen interface version 0x{XenInterface.Version:x8}");
