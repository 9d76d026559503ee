/*
 * boxtree.c -- a packed R-tree of boxes, walked nearest first (see
 * internal.h, "boxtree.c").
 *
 * The tree is built once, bottom up, by sort-tile-recursive packing: the
 * entries of a level are sorted by the x of their centres, cut into about
 * sqrt(n / FANOUT) vertical slices, each slice sorted by y and cut into runs
 * of FANOUT; each run becomes a node of the next level, whose box covers its
 * children.  A walk keeps a binary heap of nodes and items keyed by the
 * caller's lower bound, so it hands out items in order of non-decreasing
 * bound and opens only the nodes whose bound is below the caller's stopping
 * point: O(log n + k) per query for the k items it hands out.
 */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

#define FANOUT 16

/* A node: its box, and its children -- items (leaf) or nodes -- as a run of
 * the tree's `kids` array. */
typedef struct bt_node {
    double b[4];
    size_t start, count;
    int leaf;
} bt_node;

struct ccgis_boxtree {
    size_t n_items;
    double (*items)[4]; /* copies of the item boxes */
    bt_node *nodes;
    size_t n_nodes;
    size_t *kids; /* leaf runs: item indexes; other runs: node indexes */
    size_t n_kids;
    size_t root;     /* SIZE_MAX when there are no items */
    size_t n_leaves; /* the leaves are nodes[0 .. n_leaves) */
};

/* One entry being packed: its centre and its index (item or node). */
typedef struct packed {
    double cx, cy;
    size_t id;
} packed;

static int by_cx(const void *a, const void *b)
{
    const packed *x = a, *y = b;
    if (x->cx != y->cx)
        return x->cx < y->cx ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int by_cy(const void *a, const void *b)
{
    const packed *x = a, *y = b;
    if (x->cy != y->cy)
        return x->cy < y->cy ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Sort-tile-recursive order of e[0..n). */
static void str_order(packed *e, size_t n)
{
    qsort(e, n, sizeof *e, by_cx);
    size_t leaves = (n + FANOUT - 1) / FANOUT;
    size_t slices = (size_t)ceil(sqrt((double)leaves));
    size_t per = slices ? ((leaves + slices - 1) / slices) * FANOUT : n;
    for (size_t s = 0; s < n; s += per)
        qsort(e + s, n - s < per ? n - s : per, sizeof *e, by_cy);
}

/* ccgis_boxtree_new: see internal.h. */
ccgis_boxtree *ccgis_boxtree_new(ccgis_ctx *ctx, const double (*box)[4], size_t n)
{
    ccgis_boxtree *t = ccgis_calloc(ctx, 1, sizeof *t);
    if (!t)
        return NULL;
    t->root = SIZE_MAX;
    t->n_items = n;
    if (n == 0)
        return t;
    /* Nodes: at most n / (FANOUT - 1) + levels; kids: items plus nodes. */
    size_t cap_nodes = n / (FANOUT - 1) + 64;
    t->items = ccgis_calloc(ctx, n, sizeof *t->items);
    t->nodes = ccgis_calloc(ctx, cap_nodes, sizeof *t->nodes);
    t->kids = ccgis_calloc(ctx, n + cap_nodes, sizeof *t->kids);
    packed *e = ccgis_calloc(ctx, n, sizeof *e);
    if (!t->items || !t->nodes || !t->kids || !e) {
        free(e);
        return ccgis_boxtree_free(t);
    }
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < 4; k++)
            t->items[i][k] = box[i][k];
        e[i] = (packed){(box[i][0] + box[i][2]) / 2, (box[i][1] + box[i][3]) / 2, i};
    }
    size_t level_n = n; /* entries of the level being packed */
    int leaf = 1;
    for (;;) {
        str_order(e, level_n);
        size_t made = t->n_nodes;
        for (size_t s = 0; s < level_n; s += FANOUT) {
            size_t c = level_n - s < FANOUT ? level_n - s : FANOUT;
            bt_node *nd = &t->nodes[t->n_nodes++];
            nd->start = t->n_kids;
            nd->count = c;
            nd->leaf = leaf;
            for (size_t k = 0; k < c; k++) {
                size_t id = e[s + k].id;
                const double *b = leaf ? t->items[id] : t->nodes[id].b;
                t->kids[t->n_kids++] = id;
                if (k == 0) {
                    for (int q = 0; q < 4; q++)
                        nd->b[q] = b[q];
                } else {
                    nd->b[0] = fmin(nd->b[0], b[0]);
                    nd->b[1] = fmin(nd->b[1], b[1]);
                    nd->b[2] = fmax(nd->b[2], b[2]);
                    nd->b[3] = fmax(nd->b[3], b[3]);
                }
            }
        }
        level_n = t->n_nodes - made;
        if (leaf)
            t->n_leaves = level_n;
        if (level_n == 1)
            break;
        for (size_t k = 0; k < level_n; k++) {
            const double *b = t->nodes[made + k].b;
            e[k] = (packed){(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, made + k};
        }
        leaf = 0;
    }
    t->root = t->n_nodes - 1;
    free(e);
    return t;
}

/* ccgis_boxtree_leaves: see internal.h. */
size_t ccgis_boxtree_leaves(const ccgis_boxtree *t)
{
    return t->n_leaves;
}

/* ccgis_boxtree_leaf: see internal.h. */
const size_t *ccgis_boxtree_leaf(const ccgis_boxtree *t, size_t k, double box[4], size_t *n)
{
    const bt_node *nd = &t->nodes[k];
    for (int q = 0; q < 4; q++)
        box[q] = nd->b[q];
    *n = nd->count;
    return t->kids + nd->start;
}

/* ccgis_boxtree_free: see internal.h. */
ccgis_boxtree *ccgis_boxtree_free(ccgis_boxtree *t)
{
    if (t) {
        free(t->items);
        free(t->nodes);
        free(t->kids);
        free(t);
    }
    return NULL;
}

/* Heap order: smaller bound first; on equal bounds items before nodes, then
 * by index, so that a walk's order never depends on the heap's history. */
static int before(const ccgis_boxwalk_entry *a, const ccgis_boxwalk_entry *b)
{
    if (a->bound != b->bound)
        return a->bound < b->bound;
    if (a->is_item != b->is_item)
        return a->is_item;
    return a->id < b->id;
}

/* Push an entry; 0 when out of memory. */
static int push(ccgis_boxwalk *w, ccgis_boxwalk_entry x)
{
    if (w->n == w->cap) {
        size_t ncap = w->cap ? 2 * w->cap : 64;
        ccgis_boxwalk_entry *nh = realloc(w->heap, ncap * sizeof *nh);
        if (!nh)
            return 0;
        w->heap = nh;
        w->cap = ncap;
    }
    size_t i = w->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(&x, &w->heap[p]))
            break;
        w->heap[i] = w->heap[p];
        i = p;
    }
    w->heap[i] = x;
    return 1;
}

/* Pop the smallest entry (the heap is not empty). */
static ccgis_boxwalk_entry pop(ccgis_boxwalk *w)
{
    ccgis_boxwalk_entry top = w->heap[0], last = w->heap[--w->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= w->n)
            break;
        if (c + 1 < w->n && before(&w->heap[c + 1], &w->heap[c]))
            c++;
        if (!before(&w->heap[c], &last))
            break;
        w->heap[i] = w->heap[c];
        i = c;
    }
    if (w->n > 0)
        w->heap[i] = last;
    return top;
}

/* ccgis_boxwalk_start: see internal.h. */
int ccgis_boxwalk_start(ccgis_boxwalk *w, const ccgis_boxtree *t, ccgis_box_bound_fn bound,
                        void *arg)
{
    w->tree = t;
    w->bound = bound;
    w->arg = arg;
    w->n = 0;
    if (t->root == SIZE_MAX)
        return 1;
    return push(w, (ccgis_boxwalk_entry){bound(t->nodes[t->root].b, arg), t->root, 0});
}

/* ccgis_boxwalk_next: see internal.h. */
int ccgis_boxwalk_next(ccgis_boxwalk *w, size_t *item, double *bound)
{
    const ccgis_boxtree *t = w->tree;
    while (w->n > 0) {
        ccgis_boxwalk_entry x = pop(w);
        if (x.is_item) {
            *item = x.id;
            *bound = x.bound;
            return 1;
        }
        const bt_node *nd = &t->nodes[x.id];
        for (size_t k = 0; k < nd->count; k++) {
            size_t id = t->kids[nd->start + k];
            const double *b = nd->leaf ? t->items[id] : t->nodes[id].b;
            if (!push(w, (ccgis_boxwalk_entry){w->bound(b, w->arg), id, nd->leaf}))
                return -1;
        }
    }
    return 0;
}

/* ccgis_boxwalk_clear: see internal.h. */
void ccgis_boxwalk_clear(ccgis_boxwalk *w)
{
    free(w->heap);
    w->heap = NULL;
    w->n = w->cap = 0;
}
