/* test_plot.c — figures (plot.h): sizes, colours at known (x_t, t), marks,
 * well-formed SVG and PDF, and errors that leave no file behind.
 *
 * Images are not compared byte for byte (cairo versions differ): the tests
 * open the PNG with cairo and read single pixels whose data coordinates are
 * known through fms_plot_frame_map. */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>

#include "fmsolve.h"
#include "plot/figtext.h"
#include "testutil.h"

/* The seed sheet's data with one point exercise placed away from the pixels
 * that the colour checks read. */
static const char clean_ini[] = "[set]\ntitle = Clean\n[data]\nA = 0.5, 0.5\nB = -0.5, 0.5\n"
                                "[9.1]\nt = 0.4\nx_t = 2.385\nparts = eps\n";

static char dir[64];

static void setup(void)
{
    strcpy(dir, "/tmp/fms_test_plot.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Removes every file in dir and dir itself; returns how many files there were. */
static int cleanup_count(void)
{
    int n = 0;
    DIR *dp = opendir(dir);
    struct dirent *e;
    char path[512];
    while (dp && (e = readdir(dp)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (remove(path) == 0)
            n++;
    }
    if (dp)
        closedir(dp);
    rmdir(dir);
    return n;
}

static void teardown(void)
{
    cleanup_count();
    fms_plot_release_caches();
}

static fms_exset *load(const char *ini)
{
    fms_exset *set = NULL;
    if (ini)
        ck_assert_int_eq(fms_exset_load_string("test", ini, strlen(ini), &set, NULL), FMS_OK);
    else
        ck_assert_int_eq(fms_exset_load_builtin(&set, NULL), FMS_OK);
    return set;
}

static fms_plot_opts small(void)
{
    fms_plot_opts o;
    fms_plot_options_init(&o);
    o.width = 360;
    o.height = 240;
    o.trajectories = 0;
    return o;
}

typedef struct px {
    int r, g, b;
} px;

/* The colour of pixel (i, j). */
static px pixel(cairo_surface_t *img, int i, int j)
{
    ck_assert_int_ge(i, 0);
    ck_assert_int_ge(j, 0);
    ck_assert_int_lt(i, cairo_image_surface_get_width(img));
    ck_assert_int_lt(j, cairo_image_surface_get_height(img));
    cairo_surface_flush(img);
    const unsigned char *data = cairo_image_surface_get_data(img);
    uint32_t v = *(const uint32_t *)(const void *)(data + (size_t)j * (size_t)cairo_image_surface_get_stride(img) +
                                                   4 * (size_t)i);
    px p = { (int)((v >> 16) & 0xff), (int)((v >> 8) & 0xff), (int)(v & 0xff) };
    return p;
}

/* The colour at data point (x, y) of frame f. */
static px pixel_at(cairo_surface_t *img, const fms_plot_frame *f, double x, double y)
{
    double fx, fy;
    fms_plot_frame_map(f, x, y, &fx, &fy);
    int i = (int)floor(fx), j = (int)floor(fy);
    /* y on the bottom edge (t = 0) falls on the axis line: read the clean
     * rows just above it. */
    if (j >= (int)(f->top + f->height) - 2)
        j = (int)(f->top + f->height) - 3;
    return pixel(img, i, j);
}

static cairo_surface_t *render_png(const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *o,
                                   const char *name, fms_plot_frame *f)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_plot_write(set, kind, o, path, &err) == FMS_OK, "%s", err.msg);
    ck_assert_int_eq(fms_plot_frame_compute(set, kind, o, f, NULL), FMS_OK);
    cairo_surface_t *img = cairo_image_surface_create_from_png(path);
    ck_assert_int_eq(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    ck_assert_int_eq(cairo_image_surface_get_width(img), o->width);
    ck_assert_int_eq(cairo_image_surface_get_height(img), o->height);
    return img;
}


/* Two pairs of close points and a far one, with exercises on dark and light ground. */
static const char close_ini[] = "[set]\ntitle = Close points\n[data]\nA = 0.5, 0.3\nA2 = 0.52, 0.2\n"
                                "B = -0.5, 0.25\nBee = -0.49, 0.15\nCfar = 2.0, 0.1\n"
                                "[1.1]\nt = 0.9\nx_t = 0.5\nparts = share\n[1.2]\nt = 0.3\nx_t = -2.8\nparts = share\n";
/* Data 2·10^-8 apart: 100 Euler steps cannot split them. */
static const char tiny_ini[] = "[set]\ntitle = Tiny\n[data]\nA = 1e-8, 0.5\nB = -1e-8, 0.5\n"
                               "[1]\nt = 0.5\nx_t = 0\nparts = share\n";

static int overlap(const fms_plot_box *a, const fms_plot_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static fms_plot_box *boxes(const fms_exset *set, fms_plot_kind kind, const fms_plot_opts *o, size_t *n)
{
    fms_plot_box *b = NULL;
    fms_error err;
    fms_error_clear(&err);
    ck_assert_msg(fms_plot_boxes(set, kind, o, &b, n, &err) == FMS_OK, "%s", err.msg);
    return b;
}

START_TEST(legend_outside_the_plot_area)
{
    const char *inis[] = { NULL, close_ini };
    for (int s = 0; s < 2; s++) {
        fms_exset *set = load(inis[s]);
        for (int k = 0; k < 3; k++) {
            fms_plot_frame f;
            size_t n, legends = 0;
            ck_assert_int_eq(fms_plot_frame_compute(set, (fms_plot_kind)k, NULL, &f, NULL), FMS_OK);
            fms_plot_box *b = boxes(set, (fms_plot_kind)k, NULL, &n);
            for (size_t i = 0; i < n; i++) {
                if (b[i].kind != FMS_PLOT_BOX_LEGEND)
                    continue;
                legends++;
                ck_assert_msg(b[i].y1 <= f.top && b[i].x0 >= 0 && b[i].x1 <= 1200, "figure %d: legend entry %zu at "
                              "[%g, %g] x [%g, %g], plot area from %g", k, b[i].index, b[i].x0, b[i].x1, b[i].y0,
                              b[i].y1, f.top);
                for (size_t j = 0; j < n; j++)
                    ck_assert(j == i || !overlap(&b[i], &b[j]));
            }
            ck_assert_uint_ge(legends, 2);
            free(b);
        }
        fms_exset_free(set);
    }
}
END_TEST

START_TEST(every_data_point_labelled)
{
    fms_exset *set = load(close_ini);
    for (int k = 0; k < 2; k++) {
        fms_plot_frame f;
        size_t n, labels = 0;
        ck_assert_int_eq(fms_plot_frame_compute(set, (fms_plot_kind)k, NULL, &f, NULL), FMS_OK);
        fms_plot_box *b = boxes(set, (fms_plot_kind)k, NULL, &n);
        for (size_t i = 0; i < n; i++) {
            if (b[i].kind != FMS_PLOT_BOX_POINT_LABEL)
                continue;
            labels++;
            /* Above the top edge, near its point, clear of every other label. */
            double px, py;
            fms_plot_frame_map(&f, set->data->x[b[i].index], 1.0, &px, &py);
            ck_assert(b[i].y1 < f.top && b[i].x0 >= 0 && b[i].x1 <= 1200);
            ck_assert_msg(fabs(0.5 * (b[i].x0 + b[i].x1) - px) < 60, "label %zu far from its point", b[i].index);
            for (size_t j = i + 1; j < n; j++)
                ck_assert_msg(b[j].kind != FMS_PLOT_BOX_POINT_LABEL || !overlap(&b[i], &b[j]),
                              "labels %zu and %zu overlap", b[i].index, b[j].index);
        }
        ck_assert_uint_eq(labels, set->data->n);
        free(b);
    }
    fms_exset_free(set);
}
END_TEST

START_TEST(level_labels_clear_of_bars)
{
    /* 40 particles: shares far from p, so that some bars rise above their levels. */
    const char *inis[] = { NULL, close_ini };
    for (int s = 0; s < 2; s++) {
        fms_exset *set = load(inis[s]);
        fms_plot_opts o;
        fms_plot_options_init(&o);
        o.trajectories = 40;
        fms_plot_frame f;
        size_t n, levels = 0, bars = 0;
        ck_assert_int_eq(fms_plot_frame_compute(set, FMS_PLOT_SAMPLES, &o, &f, NULL), FMS_OK);
        fms_plot_box *b = boxes(set, FMS_PLOT_SAMPLES, &o, &n);
        for (size_t i = 0; i < n; i++) {
            /* Nothing is cut by the top edge. */
            if (b[i].kind == FMS_PLOT_BOX_BAR || b[i].kind == FMS_PLOT_BOX_LEVEL_LABEL)
                ck_assert_msg(b[i].y0 >= f.top, "box %d/%zu reaches %g above the top %g", b[i].kind, b[i].index,
                              b[i].y0, f.top);
            bars += b[i].kind == FMS_PLOT_BOX_BAR;
            if (b[i].kind != FMS_PLOT_BOX_LEVEL_LABEL)
                continue;
            levels++;
            for (size_t j = 0; j < n; j++)
                if (j != i && (b[j].kind == FMS_PLOT_BOX_BAR || b[j].kind == FMS_PLOT_BOX_LEVEL_LABEL))
                    ck_assert_msg(!overlap(&b[i], &b[j]), "level label %zu overlaps box %d/%zu", b[i].index,
                                  b[j].kind, b[j].index);
        }
        ck_assert_uint_eq(levels, set->data->n);
        ck_assert_uint_ge(bars, 2);
        free(b);
        fms_exset_free(set);
    }
}
END_TEST

typedef struct warn_log {
    int calls;
    char last[512];
} warn_log;

static void warn_cb(void *ctx, const char *message)
{
    warn_log *w = ctx;
    w->calls++;
    snprintf(w->last, sizeof w->last, "%s", message);
}

START_TEST(unresolved_data_are_said)
{
    fms_exset *set = load(tiny_ini);
    warn_log w = { 0, "" };
    fms_plot_opts o = small();
    o.width = 900;
    o.height = 600;
    o.trajectories = 2000;
    o.method = FMS_SAMPLER_EULER;
    o.warn = warn_cb;
    o.warn_ctx = &w;
    fms_plot_frame f;
    cairo_surface_t *img = render_png(set, FMS_PLOT_SAMPLES, &o, "tiny.png", &f);
    ck_assert_int_eq(w.calls, 1);
    ck_assert_ptr_nonnull(strstr(w.last, "cannot resolve the data; use more --steps or --method adaptive"));
    size_t n, warnings = 0;
    fms_plot_box *b = boxes(set, FMS_PLOT_SAMPLES, &o, &n);
    for (size_t i = 0; i < n; i++) {
        warnings += b[i].kind == FMS_PLOT_BOX_WARNING;
        if (b[i].kind == FMS_PLOT_BOX_BAR)
            ck_assert(b[i].y0 >= f.top);
    }
    ck_assert_uint_eq(warnings, 1);
    ck_assert_int_eq(w.calls, 1); /* laying the figure out again told nothing */
    /* The warning is drawn in dark red under the title. */
    int red = 0;
    for (size_t i = 0; i < n; i++)
        for (int x = (int)b[i].x0; b[i].kind == FMS_PLOT_BOX_WARNING && x < (int)b[i].x1; x++)
            for (int y = (int)b[i].y0; y < (int)b[i].y1; y++) {
                px c = pixel(img, x, y);
                red += c.r > 120 && c.g < 80 && c.b < 80;
            }
    ck_assert_int_gt(red, 50);
    free(b);
    cairo_surface_destroy(img);
    /* The adaptive method runs to 1 − 2^-30 and splits them: no warning. */
    o.method = FMS_SAMPLER_ADAPTIVE;
    w.calls = 0;
    char path[512];
    snprintf(path, sizeof path, "%s/tiny2.png", dir);
    ck_assert_int_eq(fms_plot_write(set, FMS_PLOT_SAMPLES, &o, path, NULL), FMS_OK);
    ck_assert_int_eq(w.calls, 0);
    fms_exset_free(set);
}
END_TEST

START_TEST(numbers_ticks_and_spreading)
{
    char s[FMS_FIGTEXT_MAX];
    fms_figtext_number(1100, 3, s);
    ck_assert_str_eq(s, "1100");
    fms_figtext_number(0.0367, 3, s);
    ck_assert_str_eq(s, "0.0367");
    fms_figtext_number(-2.5, 3, s);
    ck_assert_str_eq(s, "\xE2\x88\x92" "2.5");
    fms_figtext_number(1.1e-8, 3, s);
    ck_assert_str_eq(s, "1.1\xC2\xB7" "10" FMS_FIGTEXT_SUP("\xE2\x88\x92" "8"));
    fms_figtext_number(1e5, 3, s);
    ck_assert_str_eq(s, "10" FMS_FIGTEXT_SUP("5"));
    fms_figtext_number(0.0, 3, s);
    ck_assert_str_eq(s, "0");
    /* Ticks of ±2.2·10^-8 share the exponent -8: labels without 'e' or long decimals. */
    cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cairo_t *cr = cairo_create(m);
    fms_figtext_ticks t;
    fms_figtext_ticks_choose(cr, 17, -2.2e-8, 2.2e-8, 900, 1, 14, &t);
    ck_assert_int_eq(t.exp10, -8);
    for (long i = t.first; i <= t.last; i++) {
        fms_figtext_tick_label(&t, i, s);
        ck_assert(strchr(s, 'e') == NULL && strlen(s) <= 6);
    }
    fms_figtext_ticks_suffix(&t, s);
    ck_assert_ptr_nonnull(strstr(s, "10"));
    fms_figtext_ticks_choose(cr, 17, 0.0, 1.0, 600, 0, 10, &t);
    ck_assert_int_eq(t.exp10, 0);
    cairo_destroy(cr);
    cairo_surface_destroy(m);
    /* Spreading: apart labels stay put; crowded ones keep their order and a gap. */
    const double a1[] = { 10, 100, 300 }, w1[] = { 20, 20, 20 };
    double left[3];
    ck_assert(fms_figtext_spread(3, a1, w1, 5, 0, 400, left));
    for (int i = 0; i < 3; i++)
        ck_assert_close(left[i], a1[i] - 10, 0, TOL_CLOSE);
    const double a2[] = { 102, 100, 101 }, w2[] = { 30, 40, 10 };
    ck_assert(fms_figtext_spread(3, a2, w2, 4, 0, 400, left));
    ck_assert(left[1] + 40 + 4 <= left[2] + 1e-9 && left[2] + 10 + 4 <= left[0] + 1e-9);
    ck_assert(!fms_figtext_spread(3, a2, w2, 4, 0, 50, left));
}
END_TEST

START_TEST(marks_and_legend_agree)
{
    /* The exercise dot in the legend and on the figure (1.3 lies on the
     * darkest red): a black centre in a white ring, both. */
    fms_exset *set = load(NULL);
    fms_plot_opts o;
    fms_plot_options_init(&o);
    o.trajectories = 0;
    fms_plot_frame f;
    cairo_surface_t *img = render_png(set, FMS_PLOT_FIELD, &o, "dots.png", &f);
    size_t n;
    fms_plot_box *b = boxes(set, FMS_PLOT_FIELD, &o, &n);
    double cx[2], cy[2];
    /* Entries: the border, the exercise point. */
    for (size_t i = 0; i < n; i++)
        if (b[i].kind == FMS_PLOT_BOX_LEGEND && b[i].index == 1) {
            cx[0] = b[i].x0 + 1.2 * 15;
            cy[0] = 0.5 * (b[i].y0 + b[i].y1);
        }
    for (size_t e = 0; e < set->n; e++)
        if (strcmp(set->ex[e].id, "1.3") == 0)
            fms_plot_frame_map(&f, set->ex[e].x_t, set->ex[e].t, &cx[1], &cy[1]);
    for (int k = 0; k < 2; k++) {
        px centre = pixel(img, (int)floor(cx[k]), (int)floor(cy[k]));
        px ring = { 0, 0, 0 }; /* the brightest pixel across the ring, 6 to 7.8 from the centre */
        for (double dr = 6.0; dr <= 8.0; dr += 1.0) {
            px c = pixel(img, (int)floor(cx[k] + dr), (int)floor(cy[k]));
            if (c.r + c.g + c.b > ring.r + ring.g + ring.b)
                ring = c;
        }
        ck_assert_msg(centre.r < 40 && centre.g < 40 && centre.b < 40, "dot %d: centre rgb %d %d %d", k, centre.r,
                      centre.g, centre.b);
        ck_assert_msg(ring.r > 200 && ring.g > 200 && ring.b > 200, "dot %d: ring rgb %d %d %d", k, ring.r, ring.g,
                      ring.b);
    }
    free(b);
    cairo_surface_destroy(img);
    fms_exset_free(set);
}
END_TEST

START_TEST(options_and_names)
{
    fms_plot_opts o;
    fms_plot_options_init(&o);
    ck_assert_int_eq(o.width, 1200);
    ck_assert_int_eq(o.height, 800);
    ck_assert_int_eq(fms_plot_options_check(&o, NULL), FMS_OK);
    fms_error err;
    fms_error_clear(&err);
    o.width = 0;
    o.height = 0;
    ck_assert_int_eq(fms_plot_options_check(&o, &err), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "0x0"));
    o = small();
    o.height = FMS_PLOT_MIN_SIDE - 1;
    ck_assert_int_eq(fms_plot_options_check(&o, NULL), FMS_EINVAL);
    o = small();
    o.width = FMS_PLOT_MAX_SIDE + 1;
    ck_assert_int_eq(fms_plot_options_check(&o, NULL), FMS_EINVAL);
    o = small();
    o.trajectories = -2;
    ck_assert_int_eq(fms_plot_options_check(&o, NULL), FMS_EINVAL);
    o = small();
    o.steps = 0;
    ck_assert_int_eq(fms_plot_options_check(&o, NULL), FMS_EINVAL);
    o = small();
    o.clip = -2.385;
    ck_assert_int_eq(fms_plot_options_check(&o, NULL), FMS_EINVAL);
    o.clip = NAN;
    ck_assert_int_eq(fms_plot_options_check(&o, NULL), FMS_EINVAL);

    fms_plot_kind k;
    ck_assert_int_eq(fms_plot_kind_parse("posterior", &k, NULL), FMS_OK);
    ck_assert_int_eq(k, FMS_PLOT_POSTERIOR);
    ck_assert_str_eq(fms_plot_kind_name(FMS_PLOT_SAMPLES), "samples");
    ck_assert_int_eq(fms_plot_kind_parse("feild", &k, NULL), FMS_EINVAL);

    fms_plot_format f;
    ck_assert_int_eq(fms_plot_format_from_path("a/b.c/field.png", &f, NULL), FMS_OK);
    ck_assert_int_eq(f, FMS_PLOT_PNG);
    ck_assert_int_eq(fms_plot_format_from_path("x.SVG", &f, NULL), FMS_OK);
    ck_assert_int_eq(f, FMS_PLOT_SVG);
    ck_assert_int_eq(fms_plot_format_from_path("x.pdf", &f, NULL), FMS_OK);
    ck_assert_int_eq(f, FMS_PLOT_PDF);
    ck_assert_int_eq(fms_plot_format_from_path("x.jpg", &f, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_plot_format_from_path("dir.png/x", &f, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_plot_format_from_path(".png", &f, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_plot_format_from_path("", &f, NULL), FMS_EINVAL);
}
END_TEST

/* The default figure's frame lies inside the page with room for the labels. */
START_TEST(default_frame)
{
    fms_exset *set = load(NULL);
    for (int k = 0; k < 3; k++) {
        fms_plot_frame f;
        ck_assert_int_eq(fms_plot_frame_compute(set, (fms_plot_kind)k, NULL, &f, NULL), FMS_OK);
        ck_assert(f.left > 40 && f.top > 40);
        ck_assert(f.left + f.width < 1200 - 10 && f.top + f.height < 800 - 40);
        ck_assert(f.width > 600 && f.height > 500);
        double x, y;
        fms_plot_frame_map(&f, f.x_lo, f.y_hi, &x, &y);
        ck_assert_close(x, f.left, TOL(4), 0);
        ck_assert_close(y, f.top, TOL(4), 0);
        /* The data and the noise fit: x_t from −3 to 3 at least. */
        if (k != FMS_PLOT_SAMPLES) {
            ck_assert(f.x_lo <= -3.0 && f.x_hi >= 3.0);
            ck_assert(f.y_lo == 0.0 && f.y_hi == 1.0);
        }
    }
    fms_plot_frame f;
    ck_assert_int_eq(fms_plot_frame_compute(set, FMS_PLOT_FIELD, NULL, &f, NULL), FMS_OK);
    /* The automatic clip is max |u*| at t = 0 over the range: |E[x1] − x| at the ends. */
    ck_assert_close(f.clip, f.x_hi, TOL(16), 0);
    fms_exset_free(set);
}
END_TEST

/* u*(x, 0) = E[x1] − x: negative (blue) at x = 0.5, positive (red) at −0.5. */
START_TEST(field_colours)
{
    fms_exset *set = load(clean_ini);
    fms_plot_opts o = small();
    fms_plot_frame f;
    cairo_surface_t *img = render_png(set, FMS_PLOT_FIELD, &o, "field.png", &f);
    px right = pixel_at(img, &f, 0.5, 0.0), left = pixel_at(img, &f, -0.5, 0.0);
    ck_assert_msg(right.b > right.r + 20, "(0.5, 0): rgb %d %d %d is not blue", right.r, right.g, right.b);
    ck_assert_msg(left.r > left.b + 20, "(-0.5, 0): rgb %d %d %d is not red", left.r, left.g, left.b);
    /* Beyond the clip level the map saturates at its darkest ends. */
    px far = pixel_at(img, &f, 3.0, 0.99);
    ck_assert(far.b > 80 && far.r < 30);
    /* The only exercise, 9.1, is marked with a black dot. */
    px mark = pixel_at(img, &f, 2.385, 0.4);
    ck_assert(mark.r < 40 && mark.g < 40 && mark.b < 40);
    cairo_surface_destroy(img);
    fms_exset_free(set);
}
END_TEST

START_TEST(posterior_colours)
{
    fms_exset *set = load(clean_ini);
    fms_plot_opts o = small();
    fms_plot_frame f;
    cairo_surface_t *img = render_png(set, FMS_PLOT_POSTERIOR, &o, "posterior.png", &f);
    /* w_A ≈ 1 above A at t = 0.9: the bright (yellow) end of viridis. */
    px a = pixel_at(img, &f, 0.5, 0.9);
    ck_assert_msg(a.r > 200 && a.g > 200 && a.b < 90, "above A: rgb %d %d %d", a.r, a.g, a.b);
    /* w_A ≈ 3e-7 at (−2, 0.6), left of B (the upper left holds the legend):
     * the dark (purple) end. */
    px b = pixel_at(img, &f, -2.0, 0.6);
    ck_assert_msg(b.r < 90 && b.g < 40 && b.b > 60, "left of B: rgb %d %d %d", b.r, b.g, b.b);
    /* At t = 0 the shares are the priors, 0.5: the teal middle, the same on both sides. */
    px m1 = pixel_at(img, &f, -2.0, 0.0), m2 = pixel_at(img, &f, 2.0, 0.0);
    ck_assert(abs(m1.r - m2.r) < 8 && abs(m1.g - m2.g) < 8 && abs(m1.b - m2.b) < 8);
    ck_assert(m1.g > m1.r && m1.b > m1.r);
    cairo_surface_destroy(img);
    fms_exset_free(set);
}
END_TEST

/* The seed sheet's point exercises 1.1, 1.2 and 1.3 are marked where they are. */
START_TEST(exercise_marks)
{
    fms_exset *set = load(NULL);
    fms_plot_opts o = small();
    o.trajectories = 6;
    for (int k = 0; k < 2; k++) {
        fms_plot_frame f;
        cairo_surface_t *img = render_png(set, (fms_plot_kind)k, &o, k ? "p.png" : "f.png", &f);
        int marks = 0;
        for (size_t i = 0; i < set->n; i++) {
            const fms_exercise *e = &set->ex[i];
            if (e->kind != FMS_EX_POINT)
                continue;
            double fx, fy;
            fms_plot_frame_map(&f, e->x_t, e->t, &fx, &fy);
            /* One pixel above the centre: 1.1 (t = 0) sits on the black axis line. */
            px c = pixel(img, (int)floor(fx), (int)floor(fy) - 1);
            ck_assert_msg(c.r < 40 && c.g < 40 && c.b < 40, "%s: rgb %d %d %d", e->id, c.r, c.g, c.b);
            marks++;
        }
        ck_assert_int_eq(marks, 3);
        cairo_surface_destroy(img);
    }
    fms_exset_free(set);
}
END_TEST

START_TEST(samples_histogram)
{
    fms_exset *set = load(NULL);
    fms_plot_opts o = small();
    o.trajectories = 400;
    o.steps = 40;
    fms_plot_frame f;
    cairo_surface_t *img = render_png(set, FMS_PLOT_SAMPLES, &o, "samples.png", &f);
    ck_assert(f.y_lo == 0.0 && f.y_hi >= 0.5);
    /* Bars at both data points, half their probability up; nothing between them. */
    px a = pixel_at(img, &f, 0.5, 0.2), b = pixel_at(img, &f, -0.5, 0.2), mid = pixel_at(img, &f, 0.0, 0.2);
    ck_assert_msg(a.b > a.r + 40, "bar at A: rgb %d %d %d", a.r, a.g, a.b);
    ck_assert_msg(b.b > b.r + 40, "bar at B: rgb %d %d %d", b.r, b.g, b.b);
    ck_assert(mid.r > 240 && mid.g > 240 && mid.b > 240);
    cairo_surface_destroy(img);
    fms_exset_free(set);
}
END_TEST

/* A variant with three points and unequal probabilities draws every figure. */
START_TEST(variant_sheet)
{
    size_t len;
    char *ini = fms_read_source("exercises/three-points-unequal.ini", &len);
    ck_assert_ptr_nonnull(ini);
    fms_exset *set = NULL;
    ck_assert_int_eq(fms_exset_load_string("variant3.ini", ini, len, &set, NULL), FMS_OK);
    free(ini);
    ck_assert_int_eq(set->data->n, 3);
    fms_plot_opts o = small();
    o.trajectories = 8;
    for (int k = 0; k < 3; k++) {
        fms_plot_frame f;
        char name[32];
        snprintf(name, sizeof name, "v%d.png", k);
        cairo_surface_t *img = render_png(set, (fms_plot_kind)k, &o, name, &f);
        cairo_surface_destroy(img);
    }
    fms_exset_free(set);
}
END_TEST

/* Labels with '_' are drawn as they are, and a title far wider than the
 * figure is cut, in every figure. */
START_TEST(odd_names)
{
    char ini[2048];
    int n = snprintf(ini, sizeof ini, "[set]\ntitle = ");
    for (int i = 0; i < 60; i++)
        n += snprintf(ini + n, sizeof ini - (size_t)n, "caf\xC3\xA9 ");
    snprintf(ini + n, sizeof ini - (size_t)n,
             "\n[data]\nx_1 = 0.25, 2\nx_2 = -0.75, 1\n[9]\nt = 0.2385\nx_t = 0.1\nparts = share\n");
    fms_exset *set = load(ini);
    fms_plot_opts o = small();
    o.trajectories = 3;
    for (int k = 0; k < 3; k++) {
        fms_plot_frame f;
        cairo_surface_t *img = render_png(set, (fms_plot_kind)k, &o, "odd.png", &f);
        cairo_surface_destroy(img);
    }
    fms_exset_free(set);
}
END_TEST

typedef struct progress_log {
    int calls;
    double last;
    int monotone;
} progress_log;

static void progress_cb(void *ctx, double done)
{
    progress_log *p = ctx;
    if (done < p->last)
        p->monotone = 0;
    p->last = done;
    p->calls++;
}

/* The progress callback climbs to 1, a bounded number of times. */
START_TEST(progress_reaches_one)
{
    fms_exset *set = load(NULL);
    fms_plot_opts o = small();
    o.trajectories = 10;
    progress_log log = { 0, 0.0, 1 };
    o.progress = progress_cb;
    o.progress_ctx = &log;
    char path[512];
    snprintf(path, sizeof path, "%s/field.png", dir);
    ck_assert_int_eq(fms_plot_write(set, FMS_PLOT_FIELD, &o, path, NULL), FMS_OK);
    ck_assert(log.monotone);
    ck_assert_close(log.last, 1.0, TOL(4), 0);
    ck_assert(log.calls >= 2 && log.calls <= 400);
    fms_exset_free(set);
}
END_TEST

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_ptr_nonnull(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

/* The text of buf without trailing blanks ends with tail. */
static int ends_with(const char *buf, size_t len, const char *tail)
{
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
        len--;
    size_t n = strlen(tail);
    return len >= n && memcmp(buf + len - n, tail, n) == 0;
}

START_TEST(svg_and_pdf_are_well_formed)
{
    fms_exset *set = load(NULL);
    fms_plot_opts o = small();
    o.trajectories = 4;
    char path[512];
    size_t len;
    snprintf(path, sizeof path, "%s/field.svg", dir);
    ck_assert_int_eq(fms_plot_write(set, FMS_PLOT_FIELD, &o, path, NULL), FMS_OK);
    char *svg = slurp(path, &len);
    ck_assert(strncmp(svg, "<?xml", 5) == 0);
    ck_assert_ptr_nonnull(strstr(svg, "<svg"));
    ck_assert_ptr_nonnull(strstr(svg, "width=\"360"));
    ck_assert(ends_with(svg, len, "</svg>"));
    free(svg);
    snprintf(path, sizeof path, "%s/samples.PDF", dir);
    o.trajectories = 50;
    ck_assert_int_eq(fms_plot_write(set, FMS_PLOT_SAMPLES, &o, path, NULL), FMS_OK);
    char *pdf = slurp(path, &len);
    ck_assert(len > 100 && strncmp(pdf, "%PDF-", 5) == 0);
    ck_assert(ends_with(pdf, len, "%%EOF"));
    free(pdf);
    /* Created with the usual permissions, not mkstemp's private 0600. */
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    mode_t mask = umask(0);
    umask(mask);
    ck_assert_int_eq(st.st_mode & 0777, 0666 & ~mask);
    fms_exset_free(set);
}
END_TEST

/* Bad sizes, names and paths fail with a message and leave no file. */
START_TEST(errors_leave_no_file)
{
    fms_exset *set = load(NULL);
    fms_plot_opts o = small();
    char path[512];
    fms_error err;

    o.width = 0;
    o.height = 0;
    snprintf(path, sizeof path, "%s/zero.png", dir);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_plot_write(set, FMS_PLOT_FIELD, &o, path, &err), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "0x0"));

    o = small();
    snprintf(path, sizeof path, "%s/field.gif", dir);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_plot_write(set, FMS_PLOT_FIELD, &o, path, &err), FMS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, ".png, .svg or .pdf"));

    fms_error_clear(&err);
    ck_assert_int_eq(fms_plot_write(set, FMS_PLOT_FIELD, &o, "/nonexistent-fmsolve-dir/f.png", &err), FMS_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent-fmsolve-dir/f.png"));

    /* The name is taken by a directory: drawn, then the rename fails and the
     * temporary file goes away. */
    snprintf(path, sizeof path, "%s/taken.png", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    fms_error_clear(&err);
    ck_assert_int_eq(fms_plot_write(set, FMS_PLOT_POSTERIOR, &o, path, &err), FMS_EIO);
    ck_assert_int_eq(rmdir(path), 0);

    ck_assert_int_eq(fms_plot_write(NULL, FMS_PLOT_FIELD, &o, path, NULL), FMS_EINVAL);
    ck_assert_int_eq(fms_plot_write(set, (fms_plot_kind)7, &o, path, NULL), FMS_EINVAL);
    ck_assert_int_eq(cleanup_count(), 0);
    fms_exset_free(set);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("plot");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, options_and_names);
    tcase_add_test(tc, default_frame);
    tcase_add_test(tc, field_colours);
    tcase_add_test(tc, posterior_colours);
    tcase_add_test(tc, exercise_marks);
    tcase_add_test(tc, samples_histogram);
    tcase_add_test(tc, variant_sheet);
    tcase_add_test(tc, odd_names);
    tcase_add_test(tc, progress_reaches_one);
    tcase_add_test(tc, legend_outside_the_plot_area);
    tcase_add_test(tc, every_data_point_labelled);
    tcase_add_test(tc, level_labels_clear_of_bars);
    tcase_add_test(tc, unresolved_data_are_said);
    tcase_add_test(tc, numbers_ticks_and_spreading);
    tcase_add_test(tc, marks_and_legend_agree);
    tcase_add_test(tc, svg_and_pdf_are_well_formed);
    tcase_add_test(tc, errors_leave_no_file);
    suite_add_tcase(s, tc);
    return fms_run_suite(s);
}
