#!/usr/bin/python3
"""The coefficients of the kernel's exponential (solver/dynamics/kernel_fast.c).

P(r) is the degree-11 polynomial that interpolates e^r at the 12 Chebyshev
nodes of [-c, c], c = ln(2)/2 + 2^-40 (the reduced argument's range), solved
in 60-digit arithmetic with mpmath (python3-mpmath).  Prints the coefficients
c_11 ... c_0 with 20 significant digits (the compiler rounds them to doubles)
and the largest relative error of P on 4001 points of [-c, c].

    /usr/bin/python3 tools/exp-coefficients.py
"""
import mpmath as mp

mp.mp.dps = 60
DEGREE = 11


def main():
    c = mp.log(2) / 2 + mp.mpf(2) ** -40
    n = DEGREE + 1
    nodes = [c * mp.cos(mp.pi * (2 * k + 1) / (2 * n)) for k in range(n)]
    coef = mp.lu_solve(mp.matrix([[x ** j for j in range(n)] for x in nodes]),
                       mp.matrix([mp.e ** x for x in nodes]))
    err = max(abs(sum(coef[j] * x ** j for j in range(n)) / mp.e ** x - 1)
              for x in (-c + 2 * c * i / 4000 for i in range(4001)))
    for j in reversed(range(n)):
        print("c%-2d = %s" % (j, mp.nstr(coef[j], 20, min_fixed=1, max_fixed=0)))
    print("max relative error %s" % mp.nstr(err, 3))


if __name__ == "__main__":
    main()
