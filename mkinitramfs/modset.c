/* modset.c — the compiled-in module sets (modset.h). */
#include "modset.h"

#include <string.h>

#include "util.h"

void modset_append(const struct modset *s, struct modwant *want, size_t *n, bool at_boot)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].at_boot == at_boot)
			want[(*n)++] = (struct modwant){ .name = s->v[i].name,
							 .reason = at_boot ? s->reason : s->reason_demand,
							 .optional = s->v[i].need != MOD_REQUIRED,
							 .arch = s->v[i].need == MOD_ARCH };
}

/* kmod's names use '_' where file names and aliases may have '-'. */
static bool same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return false;
	return *a == *b;
}

void modset_add_list(const struct modset *s, const struct modlist *mods, struct image *img)
{
	if (!s->list)
		return;
	struct buf b = { 0 };
	buf_printf(&b, "%s", "");
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = 0; j < mods->n; j++)
			if (same_name(s->v[i].name, mods->v[j]->name)) {
				buf_printf(&b, "%s\n", mods->v[j]->name);
				break;
			}
	/* The buffer's bytes are the file: no NUL. */
	image_add_data(img, s->list, 0644, b.data, b.len);
}
