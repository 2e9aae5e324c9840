/* cmd_sample.c — `fmsolve sample`: sampling the exact flow with a choice of
 * ODE methods and model parameterisations. */
#include "cli/cli.h"

static const char sample_usage[] =
    "Usage: fmsolve sample [--particles N] [--method M] [--steps K] [--rho R | --tol E]\n"
    "                      [--model velocity|epsilon|x1|score|v] [--seed S]\n"
    "                      [--reference] [--json] [--quiet] [--exercises FILE]\n"
    "Starts N particles (default 100000) at eps ~ N(0, 1), t = 0, and integrates\n"
    "dx/dt = v(x, t) to t = 1 with the exact model, in the parameterisation named\n"
    "by --model (or --param): the model predicts u_theta = v, eps_theta = eps-hat,\n"
    "x1_theta = x1-hat, the score s_theta = -eps-hat/(1 - t) or the v-prediction\n"
    "v_theta = t*eps-hat - (1 - t)*x1-hat, and the sampler converts its output to\n"
    "the velocity (fmsolve convert shows the formulas; at t = 0 an eps- or score\n"
    "model is evaluated at t = 2^-20, where the conversion is not 0/0).\n"
    "  --method  euler (order 1), midpoint (2), heun (2), rk4 (4, the default),\n"
    "            dpm2 (DPM-Solver-2, 2), adaptive (Dormand-Prince 5(4))\n"
    "  --steps   model evaluations per particle (default 100): rk4 takes\n"
    "            (K + 3)/4 steps, midpoint K/2, heun and dpm2 (K + 1)/2\n"
    "  --rho     the time grid t_j = 1 - (1 - j/N)^R, finer toward t = 1 where\n"
    "            particles split between close points (default 2; 1 is uniform)\n"
    "  --tol     adaptive only: the error tolerance (default 1e-6)\n"
    "Reports where the particles end; --reference also solves the ODE accurately\n"
    "(GSL rk8pd) and reports the method's error at t = 1/2 and t = 1 and the\n"
    "Wasserstein-1 distance between the end points and the data.\n";

/* What the options fill before the spec is made. */
typedef struct sample_args {
    fms_sample_opts o;
    long long steps; /* 0: not given */
    double tol;      /* 0: not given */
    double rho;      /* 0: not given */
} sample_args;

/* --model and its older name --param, each named in its message. */
static int model_option(const char *option, void *target, const char *value)
{
    if (fms_sampler_param_parse(value, target) != FMS_OK)
        return cli_fail("%s: '%s' is not a parameterisation (expected velocity, epsilon, x1, score or v)", option,
                        value);
    return CLI_GO_ON;
}

static int parse_model(void *target, const char *value)
{
    return model_option("--model", target, value);
}

static int parse_param(void *target, const char *value)
{
    return model_option("--param", target, value);
}

static int parse_method(void *target, const char *value)
{
    if (fms_sampler_method_parse(value, target) != FMS_OK)
        return cli_fail("--method: '%s' is not a method (expected euler, midpoint, heun, rk4, dpm2 or adaptive)",
                        value);
    return CLI_GO_ON;
}

/* --steps and --tol each belong to one kind of method. */
static int make_spec(sample_args *a)
{
    fms_sampler_spec *s = &a->o.spec;
    if (s->method == FMS_SAMPLER_ADAPTIVE && a->steps > 0)
        return cli_fail("--steps: the adaptive method chooses its own steps; set its accuracy with --tol");
    if (s->method == FMS_SAMPLER_ADAPTIVE && a->rho > 0.0)
        return cli_fail("--rho: the adaptive method chooses its own steps; set its accuracy with --tol");
    if (s->method != FMS_SAMPLER_ADAPTIVE && a->tol > 0.0)
        return cli_fail("--tol: only the adaptive method takes a tolerance (--method adaptive)");
    if (a->rho > 0.0 && a->rho < 1.0)
        return cli_fail("--rho: %g must be 1 to 10", a->rho);
    if (a->rho > 0.0)
        s->rho = a->rho;
    if (a->steps > 0)
        s->steps = a->steps;
    if (a->tol > 0.0)
        s->tol = a->tol;
    return CLI_GO_ON;
}

int cmd_sample(int argc, char **argv)
{
    sample_args a = { .steps = 0, .tol = 0.0, .rho = 0.0 };
    fms_sampler_opts_init(&a.o);
    fms_sample_opts *o = &a.o;
    cli_run run = { 0 };
    const cli_opt opts[] = {
        { .name = "particles", .kind = CLI_OPT_COUNT, .target = &o->particles, .lo = 1,
          .hi = FMS_SAMPLER_MAX_PARTICLES },
        { .name = "method", .has_value = 1, .kind = CLI_OPT_CALL, .target = &o->spec.method, .call = parse_method },
        { .name = "steps", .kind = CLI_OPT_COUNT, .target = &a.steps, .lo = 1, .hi = FMS_SAMPLER_MAX_STEPS },
        { .name = "tol", .kind = CLI_OPT_REAL, .target = &a.tol, .min = 0.0, .max = FMS_SAMPLER_MAX_TOL,
          .text = "must be above 0 and at most 0.1" },
        { .name = "rho", .kind = CLI_OPT_REAL, .target = &a.rho, .min = 0.0, .max = FMS_SAMPLER_MAX_RHO,
          .text = "must be 1 to 10" },
        { .name = "model", .has_value = 1, .kind = CLI_OPT_CALL, .target = &o->spec.param, .call = parse_model },
        { .name = "param", .has_value = 1, .kind = CLI_OPT_CALL, .target = &o->spec.param, .call = parse_param },
        CLI_SEED_OPT(&o->seed),
        { .name = "reference", .kind = CLI_OPT_FLAG, .target = &o->reference },
        CLI_RUN_OPTS(&run, sample_usage),
    };
    int rc = cli_options_parse("sample", opts, CLI_NOPTS(opts), 0, argc, argv);
    if (rc == CLI_GO_ON)
        rc = make_spec(&a);
    if (rc == CLI_GO_ON)
        rc = cli_run_begin(&run, "sample", &o->progress, &o->progress_ctx);
    if (rc != CLI_GO_ON)
        return rc;
    fms_sample_result *r = NULL;
    fms_status st = fms_sampler_run(run.set->data, o, &r, &run.err);
    if (st == FMS_OK)
        st = run.json ? fms_dynreport_sample_json(run.set->data, o, r, &run.result, &run.err)
                      : fms_dynreport_sample_text(run.set->data, o, r, &run.text, &run.err);
    if (st == FMS_OK && !fms_sampler_resolved(r->std, r->data_std)) {
        char msg[512];
        fms_sampler_unresolved_message(&o->spec, r->std, r->data_std, msg, sizeof msg);
        fprintf(stderr, "fmsolve: warning: %s\n", msg);
    }
    fms_sampler_result_free(r);
    return cli_run_end(&run, st);
}
