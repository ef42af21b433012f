// A consumer of the Xen.Sdk packages, restored from artifacts/packages by ConsumerTests.
// Calls public APIs of each package and prints one line per package ("<package id>: ...").
using System;
using System.Runtime.InteropServices;
using Xen.Sdk.Abi;
using Xen.Sdk.Abi.Io;
using Xen.Sdk.Paging;
using Xen.Sdk.Paging.Building;
using Xen.Sdk.Paging.Capabilities;
using Xen.Sdk.Paging.Formats;
using Xen.Sdk.Paging.Frames;
using Xen.Sdk.Reference;
using Xen.Sdk.Reference.Hypercalls;
using Xen.Sdk.Rings;
using Xen.Sdk.Svm;
using Xen.Sdk.Vmx;
using Xen.Sdk.Vmx.Checking;
// Abi and Paging each define address types (both depend only on the BCL); pick Paging's here.
using GuestPhysicalAddress = Xen.Sdk.Paging.GuestPhysicalAddress;

// Xen.Sdk.Abi: the two blkif request layouts.
Console.WriteLine($"Xen.Sdk.Abi: interface 0x{XenInterface.Version:x8}, blkif request {BlkifRequest64.Size} bytes (x86_64) / {BlkifRequest32.Size} (x86_32)");

unsafe
{
    // Xen.Sdk.Paging: identity-map 1 GiB through EPT and translate one address.
    const int arena = 1 << 20;
    byte* block = (byte*)NativeMemory.AlignedAlloc(arena, 4096);
    var frames = new ArenaFrameSource(block, 0x1_0000_0000, arena);
    SecondLevelTables<EptFormat, ArenaFrameSource>.Create(new EptFormat(CpuModels.BochsCoreI7SkylakeX), frames, out var ept);
    var status = ept.Map(new GuestPhysicalAddress(0), new HostPhysicalAddress(0x4000_0000), 1UL << 30, new PageAttributes(PageAccess.ReadWriteExecute));
    ept.TryTranslate(new GuestPhysicalAddress(0x1234_5678), out var host);
    Console.WriteLine($"Xen.Sdk.Paging: map {status}, GPA 0x12345678 -> HPA 0x{host.Value:x}");
    NativeMemory.AlignedFree(block);

    // Xen.Sdk.Rings: one request from a frontend to a backend over a shared page.
    byte* page = (byte*)NativeMemory.AlignedAlloc(4096, 4096);
    new Span<byte>(page, 4096).Clear();
    FrontRing<ulong, ulong>.TryInitialize(page, 4096, out var front);
    front.TryProduce(42UL);
    bool notify = front.PushRequestsAndCheckNotify();
    BackRing<ulong, ulong>.TryAttach(page, 4096, 0, out var back);
    back.TryConsume(out ulong request);
    Console.WriteLine($"Xen.Sdk.Rings: backend consumed request {request}, notify {notify}");
    NativeMemory.AlignedFree(page);
}

// Xen.Sdk.Vmx: the software VM-entry checker on a known-good VMCS for Bochs' Skylake-X model.
var vmcs = new VmcsImage();
VmxCapabilities vmx = VmxCapabilityModels.BochsCoreI7SkylakeX;
VmcsTemplate.LongModeGuest(vmcs, vmx, VmcsTemplateLayout.Default);
var failures = new EntryCheckFailure[8];
var entry = VmEntryChecker.Check(vmcs, vmx, default, failures);
Console.WriteLine($"Xen.Sdk.Vmx: VM entry {(entry.Passed ? "passes" : "fails")} ({entry.FailureCount} failures)");

// Xen.Sdk.Svm: the VMRUN checker on a freshly reset VMCB (long mode, QEMU TCG profile).
var vmcbPage = new byte[4096];
ref Vmcb vmcb = ref Vmcb.FromPage(vmcbPage);
VmcbSetup.Reset(ref vmcb, asid: 1);
VmcbSetup.LongMode(ref vmcb, cr3: 0x1000, rip: 0x10_0000, rsp: 0x20_0000);
var report = VmrunChecker.Check(in vmcb, new SvmCheckContext(SvmCapabilities.Qemu72Tcg, SvmCheckProfile.Qemu72));
Console.WriteLine($"Xen.Sdk.Svm: VMRUN consistency checks {(report.IsValid ? "pass" : "fail")}");

// Xen.Sdk.Reference: a Xen hypercall page for AMD (stub = mov eax, N; vmmcall; ret) and the length the
// kernel's decoder finds for the VMMCALL at offset 5 of stub 0 (what QEMU's SVM, without NRIP save, needs).
var hypercallPage = new byte[4096];
HypercallPage.TryWrite(hypercallPage, HypercallInstruction.Vmmcall);
bool decoded = InstructionLength.TryDecode(hypercallPage.AsSpan(5), GuestMode.Long64, out int length);
Console.WriteLine($"Xen.Sdk.Reference: hypercall stub 0 calls the hypervisor with a {(decoded ? length : 0)}-byte VMMCALL");
