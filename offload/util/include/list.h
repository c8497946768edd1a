/* Intrusive circular doubly-linked list. */
#ifndef OVSX_LIST_H
#define OVSX_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list {
	struct list *prev, *next;
};

static inline void list_init(struct list *l)
{
	l->prev = l->next = l;
}

static inline bool list_empty(const struct list *l)
{
	return l->next == l;
}

/* Inserts n before 'at' (at the tail when 'at' is the head). */
static inline void list_insert(struct list *at, struct list *n)
{
	n->prev = at->prev;
	n->next = at;
	at->prev->next = n;
	at->prev = n;
}

static inline void list_remove(struct list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	list_init(n);
}

/* True if n is linked into some list (nodes are kept initialised). */
static inline bool list_linked(const struct list *n)
{
	return n->next != n;
}

#define list_for_each_safe(pos, nxt, head)                               \
	for ((pos) = (head)->next, (nxt) = (pos)->next; (pos) != (head); \
	     (pos) = (nxt), (nxt) = (pos)->next)

#endif
