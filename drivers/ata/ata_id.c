/* Decoding IDENTIFY DEVICE data. */
#include "ata.h"

/*
 * ATA strings store two characters a word, the first in the high byte;
 * trailing spaces pad them.
 */
void ata_id_string(const u16 *id, char *s, unsigned int word, unsigned int len)
{
	unsigned int i;
	int end = -1;

	for (i = 0; i < len; i += 2) {
		u16 w = id[word + i / 2];

		s[i] = (char)(w >> 8);
		s[i + 1] = (char)w;
	}
	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\0')
			end = (int)i;
	s[end + 1] = '\0';
}
