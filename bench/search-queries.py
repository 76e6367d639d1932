import random, subprocess, re, sys, statistics
# Search benchmark queries (docs/BENCHMARKS.md, "Search"): the candidate SQL of Search.candidates over the
# database bench/search-index-2m.sql builds, timed with psql \\timing. Usage: python3 search-queries.py DB [seed]
M=(1<<64)-1
def mix(z):
    z&=M
    z=((z^(z>>30))*0xbf58476d1ce4e5b9)&M
    z=((z^(z>>27))*0x94d049bb133111eb)&M
    z=z^(z>>31)
    return z-(1<<64) if z>=(1<<63) else z
DB=sys.argv[1]
SEL="""SELECT encode(s.message_id, 'hex'), k.name, ARRAY(SELECT hk.name FROM vault_message_holder h JOIN vault_custodian hk ON hk.id = h.custodian_id WHERE h.message_id = s.message_id) FROM search_record s JOIN vault_conversation c ON c.id = s.conversation JOIN vault_custodian k ON k.id = c.custodian_id WHERE s.tokens @> ARRAY[%s]::bigint[]%s"""
def run(tokens, year, n):
    cond=" AND s.sent_at >= '%s-01-01Z' AND s.sent_at < '%d-01-01Z'"%(year,int(year)+1) if year else ""
    q=SEL%(",".join(map(str,tokens)),cond)
    script="\\timing on\n\\o /dev/null\n%s LIMIT 50;\n%s;\n\\o\nSELECT count(*) FROM (%s) x;\n"%(q,q,q)
    out=subprocess.run(["psql","-h","127.0.0.1","-U","postgres","-d",DB,"-At"],input=script,capture_output=True,text=True).stdout
    times=[float(t) for t in re.findall(r"Time: ([0-9.]+) ms",out)]
    nums=[l for l in out.splitlines() if l.strip().isdigit()]
    if not nums: print(out[-500:]); raise SystemExit(1)
    count=int(nums[0])
    return times[0],times[1],count
rnd=random.Random(int(sys.argv[2]) if len(sys.argv)>2 else 7)
classes=[("rare term (Zipf rank 40k-60k)",40000,60000,1,None,25),("common term (Zipf rank 10-30)",10,30,1,None,9),("common term, one year of two (2024)",10,30,1,"2024",9),("two common terms ANDed (ranks 10-30 and 30-100)",10,30,2,None,9),("very common term (Zipf rank 1-3)",1,3,1,None,3)]
print("| query | queries | candidates (median) | first page p50 | first page p95 | complete p50 | complete p95 |")
print("|---|---|---|---|---|---|---|")
for name,a,b,terms,year,n in classes:
    fp=[];cp=[];cn=[]
    for i in range(n):
        t=["hashint8extended(%d,0)"%rnd.randint(a,b)]
        if terms==2: t.append("hashint8extended(%d,0)"%(30+rnd.randint(0,70)))
        f,c,k=run(t,year,n); fp.append(f);cp.append(c);cn.append(k)
    def p95(x):
        x=sorted(x); import math; return x[max(0,math.ceil(len(x)*0.95)-1)]
    print("| %s | %d | %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms |"%(name,n,format(int(statistics.median(cn)),","),statistics.median(fp),p95(fp),statistics.median(cp),p95(cp)),flush=True)
