/*
 * The virtio 1.x PCI transport (the "modern" interface, which QEMU's
 * transitional devices also offer): the device describes where its
 * common, notify, ISR and device-specific configuration live through
 * vendor-specific PCI capabilities, each a window into a BAR.
 */
#ifndef _VIRTIO_H
#define _VIRTIO_H

#include "pci.h"
#include "types.h"
#include "virtio_ring.h"

#define VIRTIO_PCI_VENDOR 0x1af4

/* Device status bits. */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE 1
#define VIRTIO_CONFIG_S_DRIVER 2
#define VIRTIO_CONFIG_S_DRIVER_OK 4
#define VIRTIO_CONFIG_S_FEATURES_OK 8
#define VIRTIO_CONFIG_S_NEEDS_RESET 0x40
#define VIRTIO_CONFIG_S_FAILED 0x80

#define VIRTIO_F_VERSION_1 32

/* cfg_type of the vendor capabilities. */
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define VIRTIO_PCI_CAP_PCI_CFG 5

/* Offsets in the vendor capability. */
#define VIRTIO_PCI_CAP_CFG_TYPE 3
#define VIRTIO_PCI_CAP_BAR 4
#define VIRTIO_PCI_CAP_OFFSET 8
#define VIRTIO_PCI_CAP_LENGTH 12
#define VIRTIO_PCI_NOTIFY_CAP_MULT 16

/* The common configuration structure. */
#define VIRTIO_PCI_COMMON_DFSELECT 0x00
#define VIRTIO_PCI_COMMON_DF 0x04
#define VIRTIO_PCI_COMMON_GFSELECT 0x08
#define VIRTIO_PCI_COMMON_GF 0x0c
#define VIRTIO_PCI_COMMON_MSIX 0x10
#define VIRTIO_PCI_COMMON_NUMQ 0x12
#define VIRTIO_PCI_COMMON_STATUS 0x14
#define VIRTIO_PCI_COMMON_CFGGENERATION 0x15
#define VIRTIO_PCI_COMMON_Q_SELECT 0x16
#define VIRTIO_PCI_COMMON_Q_SIZE 0x18
#define VIRTIO_PCI_COMMON_Q_MSIX 0x1a
#define VIRTIO_PCI_COMMON_Q_ENABLE 0x1c
#define VIRTIO_PCI_COMMON_Q_NOFF 0x1e
#define VIRTIO_PCI_COMMON_Q_DESCLO 0x20
#define VIRTIO_PCI_COMMON_Q_DESCHI 0x24
#define VIRTIO_PCI_COMMON_Q_AVAILLO 0x28
#define VIRTIO_PCI_COMMON_Q_AVAILHI 0x2c
#define VIRTIO_PCI_COMMON_Q_USEDLO 0x30
#define VIRTIO_PCI_COMMON_Q_USEDHI 0x34

#define VIRTIO_MSI_NO_VECTOR 0xffff

struct virtio_pci_device {
	struct pci_dev *pci;
	volatile u8 *common;
	volatile u8 *isr;
	volatile u8 *device; /* device-specific configuration */
	volatile u8 *notify_base;
	u32 notify_off_multiplier;
	u64 features; /* agreed */
	volatile u8 *bar_map[PCI_NUM_BARS];
};

/* Find and map the four capabilities; -ENODEV if the modern ones are absent. */
int vp_init(struct virtio_pci_device *vp, struct pci_dev *pci);
/* Write 0 to status and wait until the device reads back 0. */
int vp_reset(struct virtio_pci_device *vp);
u8 vp_get_status(struct virtio_pci_device *vp);
void vp_add_status(struct virtio_pci_device *vp, u8 bits);
u64 vp_get_features(struct virtio_pci_device *vp);
/*
 * Agree on offered & wanted (VERSION_1 is required), set FEATURES_OK and
 * check the device kept it. 0 or -ENODEV/-EIO; vp->features is the result.
 */
int vp_finalize_features(struct virtio_pci_device *vp, u64 wanted);
static inline bool vp_has_feature(struct virtio_pci_device *vp, unsigned int f)
{
	return (vp->features >> f) & 1;
}
/* Route configuration-change interrupts to MSI-X entry (or NO_VECTOR). */
int vp_set_config_vector(struct virtio_pci_device *vp, u16 entry);
/*
 * Set up queue index with at most max_num entries, interrupting through
 * MSI-X entry msix. Returns the queue or an ERR_PTR.
 */
struct virtqueue *vp_setup_vq(struct virtio_pci_device *vp, u16 index,
			      u16 max_num, u16 msix);
/* Device config reads, retried until the generation is stable. */
u32 vp_config_read32(struct virtio_pci_device *vp, unsigned int off);
u64 vp_config_read64(struct virtio_pci_device *vp, unsigned int off);

#endif
