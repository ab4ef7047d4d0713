/*
 * A stand-in for libnvidia-ml.so.1, compiled by JnaNvmlTest, so JnaNvml's struct offsets and handle passing are
 * checked against what a C compiler makes of the nvml.h declarations below (copied field for field from nvml.h).
 * GPU index 0: A100-SXM4-40GB, minor 1, MIG on, one 2g.10gb MIG device in slot 0 (GPU instance 5, slices 2-3).
 * GPU index 1: Tesla T4, minor 0, brand and MIG mode NOT_SUPPORTED.
 * Deliberately absent: nvmlSystemGetCudaDriverVersion_v2 (the v1 fallback must answer) and nvmlDeviceGetAttributes_v2
 * (must read as NVML_ERROR_FUNCTION_NOT_FOUND).
 * Events (JnaNvmlEventsTest): the A100 supports SBE|DBE|PState|XID|MigConfigChange, the T4 only PState. Tests queue
 * events with fake_nvml_raise and lose a GPU with fake_nvml_set_lost; a wait with nothing queued answers TIMEOUT at
 * once. While a GPU is lost, nvmlDeviceGetHandleByUUID answers GPU_IS_LOST for every UUID, as the real one does.
 */
#include <string.h>

typedef int nvmlReturn_t;
#define NVML_SUCCESS 0
#define NVML_ERROR_UNINITIALIZED 1
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_NOT_FOUND 6
#define NVML_ERROR_TIMEOUT 10
#define NVML_ERROR_GPU_IS_LOST 15

typedef struct nvmlDevice_st { int index; int mig; } *nvmlDevice_t;
typedef struct nvmlGpuInstance_st { unsigned int id; } *nvmlGpuInstance_t;

typedef struct nvmlPciInfo_st {
    char busIdLegacy[16];
    unsigned int domain;
    unsigned int bus;
    unsigned int device;
    unsigned int pciDeviceId;
    unsigned int pciSubSystemId;
    char busId[32];
} nvmlPciInfo_t;

typedef struct nvmlMemory_st {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
} nvmlMemory_t;

typedef struct nvmlGpuInstanceProfileInfo_st {
    unsigned int id;
    unsigned int isP2pSupported;
    unsigned int sliceCount;
    unsigned int instanceCount;
    unsigned int multiprocessorCount;
    unsigned int copyEngineCount;
    unsigned int decoderCount;
    unsigned int encoderCount;
    unsigned int jpegCount;
    unsigned int ofaCount;
    unsigned long long memorySizeMB;
} nvmlGpuInstanceProfileInfo_t;

typedef struct nvmlGpuInstancePlacement_st {
    unsigned int start;
    unsigned int size;
} nvmlGpuInstancePlacement_t;

typedef struct nvmlGpuInstanceInfo_st {
    nvmlDevice_t device;
    unsigned int id;
    unsigned int profileId;
    nvmlGpuInstancePlacement_t placement;
} nvmlGpuInstanceInfo_t;

static int initialised;
static struct nvmlDevice_st gpus[2] = {{0, -1}, {1, -1}};
static struct nvmlDevice_st mig0 = {0, 0};
static struct nvmlGpuInstance_st gi5 = {5};

static int is_gpu(nvmlDevice_t d) { return d == &gpus[0] || d == &gpus[1]; }

#define CHECK_INIT() do { if (initialised <= 0) return NVML_ERROR_UNINITIALIZED; } while (0)

nvmlReturn_t nvmlInit_v2(void) { initialised++; return NVML_SUCCESS; }
nvmlReturn_t nvmlShutdown(void) { CHECK_INIT(); initialised--; return NVML_SUCCESS; }

const char *nvmlErrorString(nvmlReturn_t result) {
    switch (result) {
        case NVML_SUCCESS: return "Success";
        case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
        case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
        case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
        case NVML_ERROR_NOT_FOUND: return "Not Found";
        case NVML_ERROR_TIMEOUT: return "Timeout";
        case NVML_ERROR_GPU_IS_LOST: return "GPU is lost";
        default: return "Unknown Error";
    }
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
    CHECK_INIT();
    if (length < 80) return NVML_ERROR_INVALID_ARGUMENT;
    strcpy(version, "580.95.05");
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlSystemGetCudaDriverVersion(int *v) { *v = 13000; return NVML_SUCCESS; }

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) { CHECK_INIT(); *count = 2; return NVML_SUCCESS; }

static int lost[2];

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
    CHECK_INIT();
    if (index > 1) return NVML_ERROR_INVALID_ARGUMENT;
    if (lost[index]) return NVML_ERROR_GPU_IS_LOST;
    *device = &gpus[index];
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMinorNumber(nvmlDevice_t d, unsigned int *minor) {
    if (!is_gpu(d)) return NVML_ERROR_INVALID_ARGUMENT;
    *minor = d->index == 0 ? 1 : 0;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char *uuid, unsigned int length) {
    if (length < 96) return NVML_ERROR_INVALID_ARGUMENT;
    if (d == &mig0) strcpy(uuid, "MIG-0c0ffee0-1111-5222-8333-444455556666");
    else if (d == &gpus[0]) strcpy(uuid, "GPU-a0a0a0a0-1111-4222-8333-444455556666");
    else if (d == &gpus[1]) strcpy(uuid, "GPU-7474t4t4-1111-4222-8333-444455556666");
    else return NVML_ERROR_INVALID_ARGUMENT;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned int length) {
    if (!is_gpu(d) || length < 96) return NVML_ERROR_INVALID_ARGUMENT;
    strcpy(name, d->index == 0 ? "NVIDIA A100-SXM4-40GB" : "Tesla T4");
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetBrand(nvmlDevice_t d, unsigned int *brand) {
    if (!is_gpu(d)) return NVML_ERROR_INVALID_ARGUMENT;
    if (d->index == 1) return NVML_ERROR_NOT_SUPPORTED;
    *brand = 14;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetArchitecture(nvmlDevice_t d, unsigned int *arch) {
    if (!is_gpu(d)) return NVML_ERROR_INVALID_ARGUMENT;
    *arch = d->index == 0 ? 7 : 6;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetCudaComputeCapability(nvmlDevice_t d, int *major, int *minor) {
    if (!is_gpu(d)) return NVML_ERROR_INVALID_ARGUMENT;
    *major = d->index == 0 ? 8 : 7;
    *minor = d->index == 0 ? 0 : 5;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t d, nvmlPciInfo_t *pci) {
    if (!is_gpu(d)) return NVML_ERROR_INVALID_ARGUMENT;
    memset(pci, 0x5a, sizeof(*pci));
    strcpy(pci->busIdLegacy, d->index == 0 ? "0000:07:00.0" : "0000:AF:00.0");
    pci->domain = 0;
    pci->bus = d->index == 0 ? 0x07 : 0xaf;
    pci->device = 0;
    pci->pciDeviceId = d->index == 0 ? 0x20b010de : 0x1eb810de;
    pci->pciSubSystemId = 0x134f10de;
    strcpy(pci->busId, d->index == 0 ? "00000000:07:00.0" : "00000000:AF:00.0");
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t *memory) {
    if (!is_gpu(d)) return NVML_ERROR_INVALID_ARGUMENT;
    if (lost[d->index]) return NVML_ERROR_GPU_IS_LOST;
    memory->total = d->index == 0 ? 42949672960ULL : 16106127360ULL;
    memory->used = 1048576ULL;
    memory->free = memory->total - memory->used;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t d, unsigned int *current, unsigned int *pending) {
    if (!is_gpu(d)) return NVML_ERROR_INVALID_ARGUMENT;
    if (d->index == 1) return NVML_ERROR_NOT_SUPPORTED;
    *current = 1;
    *pending = 1;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t d, unsigned int *count) {
    if (d != &gpus[0]) return NVML_ERROR_INVALID_ARGUMENT;
    *count = 7;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t d, unsigned int index, nvmlDevice_t *mig) {
    if (d != &gpus[0] || index >= 7) return NVML_ERROR_INVALID_ARGUMENT;
    if (index != 0) return NVML_ERROR_NOT_FOUND;
    *mig = &mig0;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetGpuInstanceId(nvmlDevice_t d, unsigned int *id) {
    if (d != &mig0) return NVML_ERROR_INVALID_ARGUMENT;
    *id = 5;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetComputeInstanceId(nvmlDevice_t d, unsigned int *id) {
    if (d != &mig0) return NVML_ERROR_INVALID_ARGUMENT;
    *id = 0;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetGpuInstanceById(nvmlDevice_t d, unsigned int id, nvmlGpuInstance_t *gi) {
    if (d != &gpus[0]) return NVML_ERROR_INVALID_ARGUMENT;
    if (id != 5) return NVML_ERROR_NOT_FOUND;
    *gi = &gi5;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlGpuInstanceGetInfo(nvmlGpuInstance_t gi, nvmlGpuInstanceInfo_t *info) {
    if (gi != &gi5) return NVML_ERROR_INVALID_ARGUMENT;
    info->device = &gpus[0];
    info->id = 5;
    info->profileId = 14;
    info->placement.start = 2;
    info->placement.size = 2;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetGpuInstanceProfileInfo(nvmlDevice_t d, unsigned int profile, nvmlGpuInstanceProfileInfo_t *info) {
    if (d != &gpus[0]) return NVML_ERROR_INVALID_ARGUMENT;
    nvmlGpuInstanceProfileInfo_t one = {19, 0, 1, 7, 14, 1, 0, 0, 0, 0, 4864ULL};
    nvmlGpuInstanceProfileInfo_t two = {14, 0, 2, 3, 28, 2, 1, 0, 0, 0, 9856ULL};
    if (profile == 0) *info = one;
    else if (profile == 1) *info = two;
    else return NVML_ERROR_NOT_SUPPORTED;
    return NVML_SUCCESS;
}

typedef struct nvmlEventSet_st { int live; } *nvmlEventSet_t;

typedef struct nvmlEventData_st {
    nvmlDevice_t device;
    unsigned long long eventType;
    unsigned long long eventData;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
} nvmlEventData_t;

#define SUPPORTED_A100 (0x1ULL | 0x2ULL | 0x4ULL | 0x8ULL | 0x100ULL)
#define SUPPORTED_T4 0x4ULL

static struct nvmlEventSet_st the_set;
static unsigned long long registered[2];
static nvmlEventData_t queued[8];
static int queued_count;
static unsigned int last_timeout;

static const char *uuid_of(int index) {
    return index == 0 ? "GPU-a0a0a0a0-1111-4222-8333-444455556666" : "GPU-7474t4t4-1111-4222-8333-444455556666";
}

nvmlReturn_t nvmlDeviceGetHandleByUUID(const char *uuid, nvmlDevice_t *device) {
    CHECK_INIT();
    if (lost[0] || lost[1]) return NVML_ERROR_GPU_IS_LOST;
    for (int i = 0; i < 2; i++) {
        if (strcmp(uuid, uuid_of(i)) == 0) {
            *device = &gpus[i];
            return NVML_SUCCESS;
        }
    }
    return NVML_ERROR_NOT_FOUND;
}

nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t *set) {
    CHECK_INIT();
    if (the_set.live) return NVML_ERROR_INVALID_ARGUMENT;
    the_set.live = 1;
    registered[0] = registered[1] = 0;
    *set = &the_set;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetSupportedEventTypes(nvmlDevice_t d, unsigned long long *types) {
    if (!is_gpu(d)) return NVML_ERROR_INVALID_ARGUMENT;
    if (lost[d->index]) return NVML_ERROR_GPU_IS_LOST;
    *types = d->index == 0 ? SUPPORTED_A100 : SUPPORTED_T4;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t d, unsigned long long types, nvmlEventSet_t set) {
    if (!is_gpu(d) || set != &the_set || !the_set.live) return NVML_ERROR_INVALID_ARGUMENT;
    unsigned long long supported = d->index == 0 ? SUPPORTED_A100 : SUPPORTED_T4;
    if ((types & ~supported) != 0) return NVML_ERROR_NOT_SUPPORTED;
    registered[d->index] |= types;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeoutms) {
    if (set != &the_set || !the_set.live || data == 0) return NVML_ERROR_INVALID_ARGUMENT;
    last_timeout = timeoutms;
    if (queued_count == 0) return NVML_ERROR_TIMEOUT;
    *data = queued[0];
    memmove(&queued[0], &queued[1], sizeof(queued[0]) * (size_t) (queued_count - 1));
    queued_count--;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set) {
    if (set != &the_set || !the_set.live) return NVML_ERROR_INVALID_ARGUMENT;
    the_set.live = 0;
    return NVML_SUCCESS;
}

/* Test controls, not NVML functions. An event is delivered only if its type was registered for its GPU. */
int fake_nvml_raise(int gpu, unsigned long long type, unsigned long long data, unsigned int gi, unsigned int ci) {
    if (gpu < 0 || gpu > 1 || (registered[gpu] & type) == 0 || queued_count == 8) return 0;
    nvmlEventData_t event;
    memset(&event, 0x5a, sizeof(event));
    event.device = &gpus[gpu];
    event.eventType = type;
    event.eventData = data;
    event.gpuInstanceId = gi;
    event.computeInstanceId = ci;
    queued[queued_count++] = event;
    return 1;
}

void fake_nvml_set_lost(int gpu, int is_lost) { lost[gpu] = is_lost; }

int fake_nvml_live_event_sets(void) { return the_set.live; }

int fake_nvml_init_count(void) { return initialised; }

unsigned int fake_nvml_last_timeout(void) { return last_timeout; }
