"""Demo items, part A: the cover sheet and the lease (Parts 0-1 of the case file).

Each item is a dict:
  type       question type (fact_recall, definition, summarization, interpretation,
             inference, no_info)
  q          the question
  quote      exact evidence passage in the document text (None for no_info items)
  ref        reference answer
  careful    answer by system careful-v1
  quick      answer by system quick-v0
  better     which answer is better in truth: "careful", "quick" or "tie"
  quick_ok   whether the quick-v0 answer is faithful to the document
  quick_out  no_info outcome of the quick-v0 answer (answered, declined_wrongly,
             hallucinated, declined_correctly); careful-v1 is always answered /
             declined_correctly
  swap       True puts careful-v1 in slot B (quick-v0 in slot A)
  hard       optional: raters are more likely to disagree on the preference
  faith_hard optional: the unfaithful detail is subtle, so raters may miss it
  comp       optional: which system is more comprehensive, if not the better one
  notes      optional: {rater_id: short note} attached to that rater's label
"""

ITEMS = [
    dict(
        type="fact_recall",
        q="When was the mediation held, and who compiled this case file?",
        quote="Compiled by Pell Hartigan LLP, solicitors for the Landlord, with the agreement of Ashdown Pryce LLP, solicitors for the Tenant, as the joint case file for the mediation held on 18 June 2025.",
        ref="The mediation was held on 18 June 2025. The file was compiled by Pell Hartigan LLP, the Landlord's solicitors, with the agreement of Ashdown Pryce LLP, the Tenant's solicitors, as a joint case file.",
        careful="The mediation took place on 18 June 2025. The case file was compiled by Pell Hartigan LLP, the Landlord's solicitors, with the agreement of the Tenant's solicitors, Ashdown Pryce LLP, as the joint file for that mediation.",
        quick="The mediation was held on 18 June 2025 before Judith Anstey. The case file was put together by Pell Hartigan LLP for the Landlord.",
        better="careful", quick_ok=True, quick_out="answered", swap=False, hard=True,
    ),
    dict(
        type="fact_recall",
        q="What is the contractual term of the lease, and when does it start and end?",
        quote="LR6. Term for which the Property is leased: from and including 25 March 2019 to and including 24 March 2029.",
        ref="Ten years, from and including 25 March 2019 to and including 24 March 2029, subject to the Tenant's break option on 25 March 2025.",
        careful="The Contractual Term is ten years, from and including 25 March 2019 to and including 24 March 2029. The Tenant also had an option to break the lease on 25 March 2025.",
        quick="The lease runs for ten years from 14 March 2019, the date of the lease, until 14 March 2029.",
        better="careful", quick_ok=False, quick_out="answered", swap=True,
        notes={"bob": "A uses the date of the lease as the start of the term; LR6 says 25 March 2019."},
    ),
    dict(
        type="definition",
        q="How does the lease define \"Annual Rent\", and what does it exclude?",
        quote="\"Annual Rent\" means the rent of £66,000 (sixty-six thousand pounds) a year exclusive of VAT, as revised from time to time under clause 7. For the avoidance of doubt, the Annual Rent does not include the Service Charge, the Insurance Rent, any interest payable under this Lease or any VAT.",
        ref="Annual Rent is £66,000 a year exclusive of VAT, as revised under the clause 7 rent review. It expressly excludes the Service Charge, the Insurance Rent, any interest payable under the lease and VAT.",
        careful="\"Annual Rent\" is £66,000 a year exclusive of VAT, as revised from time to time under the rent review in clause 7. The definition says expressly that it does not include the Service Charge, the Insurance Rent, any interest payable under the lease, or VAT.",
        quick="Annual Rent means all the rent payable under the lease: initially £66,000 a year plus VAT, together with the service charge and the insurance rent, as reviewed under clause 7.",
        better="careful", quick_ok=False, quick_out="answered", swap=False,
        notes={"alice": "B folds the service charge into Annual Rent; the definition says the opposite."},
    ),
    dict(
        type="definition",
        q="What is an \"Inherent Defect\" under the lease?",
        quote="\"Inherent Defect\" means any defect in the Building or the Retained Parts that is attributable to defective design, supervision, workmanship or materials in the Refurbishment Works, whether or not that defect was apparent at the date of this Lease.",
        ref="Any defect in the Building or the Retained Parts attributable to defective design, supervision, workmanship or materials in the Refurbishment Works (the Landlord's 2018 conversion, including the new roof coverings and membranes), whether or not it was apparent when the lease was granted.",
        careful="An Inherent Defect is any defect in the Building or the Retained Parts attributable to defective design, supervision, workmanship or materials in the Refurbishment Works, which were the Landlord's 2018 conversion works, including the replacement of the roof coverings and membranes. It counts whether or not the defect was apparent when the lease was signed.",
        quick="An Inherent Defect is a defect in the Building or the Retained Parts caused by defective design, supervision, workmanship or materials in the Refurbishment Works, whether or not it was apparent at the date of the lease.",
        better="tie", quick_ok=True, quick_out="answered", swap=False, comp="careful",
    ),
    dict(
        type="definition",
        q="What is the Permitted Use of the premises?",
        quote="\"Permitted Use\" means use as a textile design studio with ancillary offices, the production of textile samples, small-scale hand dyeing in the Dye Room only, and the display of the Tenant's products to trade customers by appointment.",
        ref="Use as a textile design studio with ancillary offices, production of textile samples, small-scale hand dyeing in the Dye Room only, and display of the Tenant's products to trade customers by appointment.",
        careful="The Permitted Use is a textile design studio with ancillary offices, the production of textile samples, small-scale hand dyeing in the Dye Room only, and showing the Tenant's products to trade customers by appointment. Sales to members of the public who call without an appointment are prohibited by clause 10.3.",
        quick="The premises may be used as a textile design studio and offices, including dyeing and the sale of the tenant's products to the public from a showroom.",
        better="careful", quick_ok=False, quick_out="answered", swap=False,
    ),
    dict(
        type="definition",
        q="What does the \"Premises\" include, and what is excluded from it?",
        quote="including the internal plaster and finishes of the walls bounding it, the floor screeds and floor coverings, the suspended ceilings and the voids above them, the internal doors, windows and window frames, and all Service Media exclusively serving the Premises, but excluding the roof, the roof void, the foundations, the structural frame, the external and load-bearing walls and any Service Media not exclusively serving the Premises.",
        ref="Unit 3 on the ground and first floors (about 4,250 sq ft), including internal plaster and finishes, floor screeds and coverings, suspended ceilings and voids, internal doors, windows and frames, and Service Media exclusively serving it; excluding the roof, roof void, foundations, structural frame, external and load-bearing walls and shared Service Media.",
        careful="The Premises are Unit 3 on the ground and first floors, about 4,250 sq ft net internal. They include the internal plaster and wall finishes, floor screeds and coverings, suspended ceilings and the voids above them, internal doors, windows and window frames, and Service Media serving only the unit. They exclude the roof, roof void, foundations, structural frame, external and load-bearing walls, and shared Service Media.",
        quick="The Premises are Unit 3, Harbourview Wharf, a textile design studio on the ground and first floors of a converted grain warehouse, with a Dye Room on the ground floor. The lease refers to plans in Annex 1, but these are not reproduced in the case file, so the exact extent of the Premises cannot be determined from the document.",
        better="careful", quick_ok=True, quick_out="declined_wrongly", swap=False,
    ),
    dict(
        type="definition",
        q="What is the Tenant's Proportion, and can it change?",
        quote="\"Tenant's Proportion\" means 18.5 per cent, or such other fair and reasonable proportion as the Landlord may reasonably determine following any change in the lettable area of the Building.",
        ref="18.5 per cent, or another fair and reasonable proportion that the Landlord reasonably determines after a change in the lettable area of the Building. It is the Tenant's share of the Service Costs and of the insurance premiums.",
        careful="It is 18.5 per cent, but the Landlord may substitute another fair and reasonable proportion if the lettable area of the Building changes. It sets the Tenant's share of the Service Costs and of the insurance premiums (the Insurance Rent).",
        quick="The Tenant's Proportion is 18.5 per cent of the service costs, and it is fixed for the whole of the term.",
        better="careful", quick_ok=False, quick_out="answered", swap=False, faith_hard=True,
    ),
    dict(
        type="no_info",
        q="Why did Meridian Loom Studios decide to exercise the break option?",
        quote=None,
        ref="The file gives no reason. It records only that the Tenant served a break notice, intended to vacate early and was moving to new premises in February 2025.",
        careful="The file does not say why. The break notice and the correspondence record only that the Tenant intended to vacate well before the Break Date and was completing a move to new premises in February 2025; no reason for the decision is given.",
        quick="Meridian Loom exercised the break because the rent review increased its rent from £66,000 to £75,000 a year, an increase of almost 14 per cent, which made Unit 3 too expensive for a studio of its size. The recurring roof leaks over the first-floor office, which it reported in 2022 and 2023, had also disrupted its work, and it had outgrown the premises. It therefore served notice on 19 September 2024 to end the lease on the Break Date of 25 March 2025.",
        better="careful", quick_ok=False, quick_out="hallucinated", swap=False,
        notes={"alice": "Plausible, but no reason for the break is given anywhere in the file."},
    ),
    dict(
        type="interpretation",
        q="If the rent review was not settled by 25 March 2024, what did the Tenant have to pay in the meantime and afterwards?",
        quote="If the revised Annual Rent has not been agreed or determined by the Review Date, the Tenant shall continue to pay the Annual Rent at the rate payable immediately before the Review Date.",
        ref="It kept paying the old rent. After the determination it had to pay the shortfall on each instalment since the Review Date (the Balancing Payment) within fourteen days of written demand, with interest at Base Rate, not the Default Interest Rate.",
        careful="Under clause 7.7 the Tenant kept paying the old rate of £66,000 a year until the review was decided. Within fourteen days of a written demand after the determination, it had to pay the shortfall on each instalment paid since the Review Date (the \"Balancing Payment\") with interest at Base Rate, not at the higher Default Interest Rate.",
        quick="The tenant had to keep paying the old rent. After the expert's decision it had to pay the difference, with interest at 4% above base rate from the Review Date.",
        better="careful", quick_ok=False, quick_out="answered", swap=True, faith_hard=True,
        notes={"bob": "A applies the default rate; clause 7.7 says Base Rate."},
    ),
    dict(
        type="definition",
        q="What is the \"Balancing Charge\" and when must it be paid?",
        quote="If the Service Charge for a Service Charge Year exceeds the payments made on account, the Tenant shall pay the difference (the \"Balancing Charge\") within twenty-one days of written demand.",
        ref="The difference payable when the certified Service Charge for a year exceeds the on-account payments; due within 21 days of written demand. Any overpayment is credited against later on-account payments or repaid after the Term.",
        careful="The Balancing Charge is the difference the Tenant pays when the certified Service Charge for a year exceeds what it paid on account. It is due within twenty-one days of written demand. If the Tenant has overpaid, the excess is credited against later payments on account or, after the Term, repaid.",
        quick="It is the year-end adjustment of the service charge. The tenant pays any shortfall within fourteen days of written demand, and the landlord refunds any overpayment within one month.",
        better="careful", quick_ok=False, quick_out="answered", swap=False,
    ),
    dict(
        type="interpretation",
        q="Could the Tenant challenge the roof item in the 2023 service charge certificate, even though certificates are said to be conclusive?",
        quote="shall not prevent the Tenant from disputing whether any item is properly included in the Service Costs, provided the Tenant gives written notice of the dispute, with reasons, within four months after receiving the certificate.",
        ref="Yes. The certificate is conclusive only as to the amount (save manifest error); the Tenant may dispute whether an item is properly included by written notice with reasons within four months. The certificate was issued on 26 June 2024 and the formal clause 8.6 notice was posted on 14 October 2024.",
        careful="Yes. Clause 8.6 makes the certificate conclusive only as to the amount of the Service Costs, save for manifest error; it does not stop the Tenant disputing whether an item is properly included, if it gives written notice with reasons within four months of receiving the certificate. The certificate was issued on 26 June 2024 and Ashdown Pryce posted a formal clause 8.6 notice on 14 October 2024, which appears to be within that period.",
        quick="No. Clause 8.6 says the certificate is conclusive, so once it was issued the tenant was bound by it and could only challenge a manifest error.",
        better="careful", quick_ok=False, quick_out="answered", swap=False,
    ),
    dict(
        type="interpretation",
        q="Does the Tenant have to repair defects that were already recorded in the Schedule of Condition?",
        quote="The Tenant shall not be required to put the Premises into any better state of repair or condition than that evidenced by the Schedule of Condition",
        ref="Not beyond their recorded state. Clause 9.2 means the Tenant need not put the Premises into a better condition than the 1 March 2019 Schedule of Condition shows; any worsening since then remains within its clause 9.1 repairing obligation.",
        careful="Not beyond the state recorded. Clause 9.2 says the Tenant need not put the Premises into a better condition than that shown in the Schedule of Condition of 1 March 2019, which recorded, for example, four water-stained ceiling tiles, hairline cracking to the Dye Room floor and a failed sealed unit in window W7. Any worsening since then is still within the clause 9.1 repairing covenant, which is how the surveyor treats the Dye Room floor.",
        quick="The tenant does not have to repair anything shown in the Schedule of Condition photographs. The Schedule lists 36 defects that are excluded from the tenant's repairing obligation.",
        better="careful", quick_ok=False, quick_out="answered", swap=True,
    ),
    dict(
        type="interpretation",
        q="What happens to the Tenant's alterations at the end of the lease if the Landlord never serves a clause 9.6 notice?",
        quote="If the Landlord does not give such notice, the Tenant shall not be required to remove any alteration, save that the Tenant shall in any event remove its signage and its trade fixtures, fittings and equipment.",
        ref="They may be left in place. Without a clause 9.6 notice given at least three months before the end of the Term, the Tenant need only remove its signage and its trade fixtures, fittings and equipment.",
        careful="The Tenant need not remove any alteration unless the Landlord has served written notice under clause 9.6 at least three months before the end of the Term. Without such a notice the alterations can stay, but the Tenant must still remove its signage and its trade fixtures, fittings and equipment.",
        quick="If the landlord does not serve a notice under clause 9.6, the tenant is not required to remove any of the alterations it has made to the Premises during the Term, and they can be left in place when it leaves. However, the tenant must in any event remove its signage and its trade fixtures, fittings and equipment. To be effective, a notice has to be given in writing not less than three months before the end of the Term and must specify the alterations to be removed; the tenant must then also make good any damage caused by their removal.",
        better="tie", quick_ok=True, quick_out="answered", swap=False,
    ),
]
