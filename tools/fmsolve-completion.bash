# bash completion for fmsolve(1); meson installs it as
# $datadir/bash-completion/completions/fmsolve.  Self-contained: it needs
# nothing from the bash-completion package.  Exercise ids are completed from
# `fmsolve list` (of the set named by -e/--exercises, if any).

_fmsolve_ids()
{
    local set=$1
    if [[ -n $set ]]; then
        "$2" list --exercises "$set" 2>/dev/null | cut -d' ' -f1
    else
        "$2" list 2>/dev/null | cut -d' ' -f1
    fi
}

# COMPREPLY = the words of compgen "$@" that start with $cur (the caller's).
_fmsolve_reply()
{
    mapfile -t COMPREPLY < <(compgen "$@" -- "$cur")
}

_fmsolve()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local prog=${COMP_WORDS[0]} cmd="" set="" i w
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
            -e|--exercises) set=${COMP_WORDS[i+1]}; ((i++)) ;;
            -f|--format) ((i++)) ;;
            list|key|query|convert|check|simulate|train|sample|plot) [[ -z $cmd ]] && cmd=$w ;;
        esac
    done

    case $prev in
        -e|--exercises|-o|--out)
            _fmsolve_reply -f; return ;;
        -f|--format)
            case $cmd in
                check) _fmsolve_reply -W 'text json gradescope' ;;
                query) _fmsolve_reply -W 'text json' ;;
                *) _fmsolve_reply -W 'text markdown json' ;;
            esac
            return ;;
        --param|--model)
            _fmsolve_reply -W 'velocity epsilon x1 score v'; return ;;
        --method)
            _fmsolve_reply -W 'euler midpoint heun rk4 dpm2 adaptive'; return ;;
        --from|--to)
            _fmsolve_reply -W 'velocity epsilon x1 score v'; return ;;
        --schedule)
            _fmsolve_reply -W 'condot poly:2 cosine linear-vp vp vp:0.1,20 ve:0.01,50'; return ;;
        --convention)
            _fmsolve_reply -W 'data-at-1 data-at-0'; return ;;
        -d|--data|--t|--x|--x_t|--value|--samples|--seed|--window|--steps|--particles|--size|--trajectories|--clip|--rho|--tol)
            return ;;
    esac

    local opts words=""
    case $cmd in
        "") opts='--all --exercises --format --help --version list key query convert check simulate train sample plot' ;;
        list|key) opts='--exercises --help' ;;
        query) opts='--t --x --x_t --data --schedule --convention --exercises --json --format --help' ;;
        convert) opts='--from --to --t --x --x_t --value --data --schedule --convention --exercises --json --help' ;;
        check) opts='--exercises --json --format --help' ;;
        simulate) opts='--samples --seed --window --json --quiet --exercises --help' ;;
        train) opts='--steps --seed --json --quiet --exercises --help' ;;
        sample) opts='--particles --method --steps --rho --tol --model --param --seed --reference --json --quiet --exercises --help' ;;
        plot) opts='field posterior samples --out --exercises --size --trajectories --method --steps --rho --tol --seed --clip --quiet --help' ;;
    esac
    for w in $opts; do
        [[ $w == -* ]] || words+=" $w"
    done
    if [[ $cur == -* ]]; then
        _fmsolve_reply -W "$opts"
    elif [[ $cmd == check ]]; then
        _fmsolve_reply -f
    elif [[ -z $cmd || $cmd == simulate ]]; then
        _fmsolve_reply -W "$(_fmsolve_ids "$set" "$prog")$words"
    else
        _fmsolve_reply -W "$words"
    fi
}

complete -F _fmsolve fmsolve
