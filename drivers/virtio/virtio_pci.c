/*
 * virtio 1.x over PCI: locate the configuration structures through the
 * vendor capabilities, drive the status handshake, negotiate features
 * and set up queues. Only the modern interface is used, so the
 * transitional (1af4:1001) and modern-only (1af4:1042) devices are
 * driven the same way.
 */
#include "bitops.h"
#include "errno.h"
#include "asm/io.h"
#include "printk.h"
#include "virtio.h"

#define VP_POLL_LOOPS 1000000

static volatile u8 *vp_map_cap(struct virtio_pci_device *vp, u8 cap,
			       u32 min_len)
{
	struct pci_dev *pci = vp->pci;
	u8 bar = pci_read_config_byte(pci, cap + VIRTIO_PCI_CAP_BAR);
	u32 off = pci_read_config_dword(pci, cap + VIRTIO_PCI_CAP_OFFSET);
	u32 len = pci_read_config_dword(pci, cap + VIRTIO_PCI_CAP_LENGTH);

	if (bar >= PCI_NUM_BARS || !(pci->bar[bar].flags & PCI_BAR_MEM))
		return NULL;
	if (len < min_len || (u64)off + len > pci->bar[bar].size)
		return NULL;
	if (!vp->bar_map[bar])
		vp->bar_map[bar] = pci_ioremap_bar(pci, bar);
	if (!vp->bar_map[bar])
		return NULL;
	return vp->bar_map[bar] + off;
}

int vp_init(struct virtio_pci_device *vp, struct pci_dev *pci)
{
	u8 cap = 0, type;

	vp->pci = pci;
	while ((cap = pci_find_next_capability(pci, cap, PCI_CAP_ID_VNDR))) {
		type = pci_read_config_byte(pci, cap + VIRTIO_PCI_CAP_CFG_TYPE);
		/* The first structure of each type is the preferred one. */
		if (type == VIRTIO_PCI_CAP_COMMON_CFG && !vp->common) {
			vp->common = vp_map_cap(vp, cap, 0x38);
		} else if (type == VIRTIO_PCI_CAP_NOTIFY_CFG &&
			   !vp->notify_base) {
			vp->notify_base = vp_map_cap(vp, cap, 2);
			vp->notify_off_multiplier = pci_read_config_dword(
				pci, cap + VIRTIO_PCI_NOTIFY_CAP_MULT);
		} else if (type == VIRTIO_PCI_CAP_ISR_CFG && !vp->isr) {
			vp->isr = vp_map_cap(vp, cap, 1);
		} else if (type == VIRTIO_PCI_CAP_DEVICE_CFG && !vp->device) {
			vp->device = vp_map_cap(vp, cap, 0);
		}
	}
	if (!vp->common || !vp->notify_base || !vp->isr)
		return -ENODEV;
	return 0;
}

u8 vp_get_status(struct virtio_pci_device *vp)
{
	return readb(vp->common + VIRTIO_PCI_COMMON_STATUS);
}

void vp_add_status(struct virtio_pci_device *vp, u8 bits)
{
	writeb(vp_get_status(vp) | bits, vp->common + VIRTIO_PCI_COMMON_STATUS);
}

int vp_reset(struct virtio_pci_device *vp)
{
	int i;

	writeb(0, vp->common + VIRTIO_PCI_COMMON_STATUS);
	/* The reset is done when the device reads back 0. */
	for (i = 0; i < VP_POLL_LOOPS; i++)
		if (vp_get_status(vp) == 0)
			return 0;
	return -ETIMEDOUT;
}

u64 vp_get_features(struct virtio_pci_device *vp)
{
	u64 f;

	writel(0, vp->common + VIRTIO_PCI_COMMON_DFSELECT);
	f = readl(vp->common + VIRTIO_PCI_COMMON_DF);
	writel(1, vp->common + VIRTIO_PCI_COMMON_DFSELECT);
	f |= (u64)readl(vp->common + VIRTIO_PCI_COMMON_DF) << 32;
	return f;
}

int vp_finalize_features(struct virtio_pci_device *vp, u64 wanted)
{
	u64 f = vp_get_features(vp) & wanted;

	if (!(f & (1ull << VIRTIO_F_VERSION_1)))
		return -ENODEV;
	writel(0, vp->common + VIRTIO_PCI_COMMON_GFSELECT);
	writel((u32)f, vp->common + VIRTIO_PCI_COMMON_GF);
	writel(1, vp->common + VIRTIO_PCI_COMMON_GFSELECT);
	writel((u32)(f >> 32), vp->common + VIRTIO_PCI_COMMON_GF);
	vp_add_status(vp, VIRTIO_CONFIG_S_FEATURES_OK);
	/* The device clears FEATURES_OK if it cannot live with our subset. */
	if (!(vp_get_status(vp) & VIRTIO_CONFIG_S_FEATURES_OK))
		return -EIO;
	vp->features = f;
	return 0;
}

int vp_set_config_vector(struct virtio_pci_device *vp, u16 entry)
{
	writew(entry, vp->common + VIRTIO_PCI_COMMON_MSIX);
	if (readw(vp->common + VIRTIO_PCI_COMMON_MSIX) != entry)
		return -EBUSY;
	return 0;
}

static void vp_write64(struct virtio_pci_device *vp, unsigned int off, u64 v)
{
	writel((u32)v, vp->common + off);
	writel((u32)(v >> 32), vp->common + off + 4);
}

struct virtqueue *vp_setup_vq(struct virtio_pci_device *vp, u16 index,
			      u16 max_num, u16 msix)
{
	volatile u8 *c = vp->common;
	struct virtqueue *vq;
	u16 size, num, noff;

	if (index >= readw(c + VIRTIO_PCI_COMMON_NUMQ))
		return ERR_PTR(-ENOENT);
	writew(index, c + VIRTIO_PCI_COMMON_Q_SELECT);
	size = readw(c + VIRTIO_PCI_COMMON_Q_SIZE);
	if (!size || readw(c + VIRTIO_PCI_COMMON_Q_ENABLE))
		return ERR_PTR(-ENOENT);
	num = min(size, max_num);
	while (!is_power_of_2(num))
		num &= (u16)(num - 1);
	vq = vring_new_virtqueue(
		index, num, vp_has_feature(vp, VIRTIO_RING_F_INDIRECT_DESC));
	if (!vq)
		return ERR_PTR(-ENOMEM);
	writew(num, c + VIRTIO_PCI_COMMON_Q_SIZE);
	writew(msix, c + VIRTIO_PCI_COMMON_Q_MSIX);
	if (readw(c + VIRTIO_PCI_COMMON_Q_MSIX) != msix) {
		vring_del_virtqueue(vq);
		return ERR_PTR(-EBUSY);
	}
	vp_write64(vp, VIRTIO_PCI_COMMON_Q_DESCLO, pci_dma_addr(vq->desc));
	vp_write64(vp, VIRTIO_PCI_COMMON_Q_AVAILLO, pci_dma_addr(vq->avail));
	vp_write64(vp, VIRTIO_PCI_COMMON_Q_USEDLO, pci_dma_addr(vq->used));
	noff = readw(c + VIRTIO_PCI_COMMON_Q_NOFF);
	vq->notify = (volatile u16 *)(vp->notify_base +
				      (u32)noff * vp->notify_off_multiplier);
	writew(1, c + VIRTIO_PCI_COMMON_Q_ENABLE);
	return vq;
}

/*
 * Multi-byte configuration fields may change under us; the generation
 * counter tells whether they did while we read.
 */
#define VP_CONFIG_READ(bits, acc)                                              \
	u##bits vp_config_read##bits(struct virtio_pci_device *vp,             \
				     unsigned int off)                         \
	{                                                                      \
		u8 gen;                                                        \
		u##bits v;                                                     \
		do {                                                           \
			gen = readb(vp->common +                               \
				    VIRTIO_PCI_COMMON_CFGGENERATION);          \
			v = acc;                                               \
		} while (gen !=                                                \
			 readb(vp->common + VIRTIO_PCI_COMMON_CFGGENERATION)); \
		return v;                                                      \
	}

VP_CONFIG_READ(32, readl(vp->device + off))
VP_CONFIG_READ(64, (u64)readl(vp->device + off) |
			   (u64)readl(vp->device + off + 4) << 32)
