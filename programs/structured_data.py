"""schema.org data for programme pages: a Course with one CourseInstance per intake.

Plain dicts, turned into JSON-LD by the page template; search engines and other
readers get the same dates and places the page shows.
"""

PROVIDER = {
    "@type": "Organization",
    "name": "Sveriges Kommuner och Regioner",
    "alternateName": "SKR",
}


def place(venue):
    data = {"@type": "Place", "name": venue.name}
    address = {"@type": "PostalAddress", "addressCountry": "SE"}
    if venue.street_address:
        address["streetAddress"] = venue.street_address
    if venue.town:
        address["addressLocality"] = venue.town
    data["address"] = address
    return data


def course_instance(page, intake):
    sessions = intake.session_list()
    data = {
        "@type": "CourseInstance",
        "name": f"{page.title} {intake.year}",
        "courseMode": "Onsite",
        "inLanguage": "sv",
    }
    if intake.first_date:
        data["startDate"] = intake.first_date.isoformat()
        data["endDate"] = intake.last_date.isoformat()
    if sessions:
        first = sessions[0]
        schedule = {
            "@type": "Schedule",
            "repeatCount": len(sessions),
            "startTime": first.start_time.strftime("%H:%M"),
            "endTime": first.end_time.strftime("%H:%M"),
            "scheduleTimezone": "Europe/Stockholm",
        }
        if intake.first_date:
            schedule["startDate"] = data["startDate"]
            schedule["endDate"] = data["endDate"]
        data["courseSchedule"] = schedule
    venue = next((s.venue for s in sessions if s.venue), None)
    if venue is not None:
        data["location"] = place(venue)
    return data


COST_NAMES = (
    ("programme_fee", "Programavgift"),
    ("accommodation_cost", "Kost och logi"),
)


def offers(intake):
    """The intake's costs as schema.org Offers, in Swedish kronor."""
    found = []
    for field, name in COST_NAMES:
        amount = getattr(intake, field)
        if amount is None:
            continue
        offer = {
            "@type": "Offer",
            "name": f"{name} {intake.year}",
            "category": "Paid" if amount else "Free",
            "price": amount,
            "priceCurrency": "SEK",
        }
        if intake.prices_exclude_vat:
            offer["priceSpecification"] = {
                "@type": "PriceSpecification",
                "price": amount,
                "priceCurrency": "SEK",
                "valueAddedTaxIncluded": False,
            }
        found.append(offer)
    return found


def course(page, request=None):
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": page.title,
        "description": page.lead,
        "inLanguage": "sv",
        "provider": PROVIDER,
        "timeRequired": f"P{page.duration_months}M",
        "hasCourseInstance": [
            course_instance(page, intake) for intake in page.intake_list
        ],
    }
    costs = [offer for intake in page.intake_list for offer in offers(intake)]
    if costs:
        data["offers"] = costs
    url = page.get_full_url(request)
    if url:
        data["url"] = url
    return data
